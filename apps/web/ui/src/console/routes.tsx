import type { Route } from '../app/router';
import { ConsolePage } from './ConsolePage';

/** The operations console's pages. */
export const consoleRoutes: Route[] = [{ path: '/console', render: () => <ConsolePage /> }];
