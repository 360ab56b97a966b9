import { platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { catalogDatabase } from './catalog.database.js';

/** What catalog takes from the platform (PlatformModule.forService). */
export const catalogPlatform: PlatformOptions = { service: 'catalog', database: catalogDatabase, messaging: true };

/**
 * Every setting catalog reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function catalogSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(catalogPlatform, env),
  };
}

/** What catalogSettingsFromEnv made of the environment at boot: all the module (CatalogModule.withSettings) is given. */
export type CatalogSettings = ReturnType<typeof catalogSettingsFromEnv>;
