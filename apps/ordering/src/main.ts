import { startTracing } from '@boxoffice/observability';

// Before anything else is loaded: the instrumentations patch http, express and pg as they load (docs/observability.md).
await startTracing('ordering');
await import('./start.js');
