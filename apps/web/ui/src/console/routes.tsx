import type { Route } from '../app/router';
import { ConsolePage } from './ConsolePage';
import { TracePage } from './TracePage';

/** The operations console's pages. */
export const consoleRoutes: Route[] = [
  { path: '/console', render: () => <ConsolePage /> },
  // One trace as a waterfall (ADR 0037); the key starts a fresh page for another trace.
  { path: '/console/traces/:traceId', render: ({ traceId }) => <TracePage key={traceId} traceId={traceId!} /> },
];
