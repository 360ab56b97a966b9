import { platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { paymentsDatabase } from './payments.database.js';
import { simulatorSettingsFromEnv } from './infrastructure/provider/simulator-settings.js';

/** What payments takes from the platform (PlatformModule.forService). */
export const paymentsPlatform: PlatformOptions = { service: 'payments', database: paymentsDatabase, messaging: true, consumes: true };

/**
 * Every setting payments reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function paymentsSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(paymentsPlatform, env),
    simulator: simulatorSettingsFromEnv(env),
  };
}

/** What paymentsSettingsFromEnv made of the environment at boot: all the module (PaymentsModule.withSettings) is given. */
export type PaymentsSettings = ReturnType<typeof paymentsSettingsFromEnv>;
