import type { CausalContext } from '@boxoffice/messaging';

export type Cause = CausalContext;
