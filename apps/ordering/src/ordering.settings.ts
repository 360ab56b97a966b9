import { platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { orderingDatabase } from './ordering.database.js';
import { sagaSettingsFromEnv } from './application/saga-settings.js';

/** What ordering takes from the platform (PlatformModule.forService). */
export const orderingPlatform: PlatformOptions = { service: 'ordering', database: orderingDatabase, messaging: true, consumes: true };

/**
 * Every setting ordering reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function orderingSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(orderingPlatform, env),
    saga: sagaSettingsFromEnv(env),
  };
}

/** What orderingSettingsFromEnv made of the environment at boot: all the module (OrderingModule.withSettings) is given. */
export type OrderingSettings = ReturnType<typeof orderingSettingsFromEnv>;
