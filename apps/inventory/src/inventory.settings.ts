import { platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { holdSweepIntervalFromEnv } from './interface/scheduling/hold-expiry.scheduler.js';
import { inventoryDatabase } from './inventory.database.js';

/** What inventory takes from the platform (PlatformModule.forService). */
export const inventoryPlatform: PlatformOptions = { service: 'inventory', database: inventoryDatabase, messaging: true, consumes: true };

/**
 * Every setting inventory reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function inventorySettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(inventoryPlatform, env),
    holdSweepIntervalMs: holdSweepIntervalFromEnv(env),
  };
}

/** What inventorySettingsFromEnv made of the environment at boot: all the module (InventoryModule.withSettings) is given. */
export type InventorySettings = ReturnType<typeof inventorySettingsFromEnv>;
