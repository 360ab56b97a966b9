import { platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { HmacTicketSigner } from './infrastructure/signing/hmac-ticket-signer.js';
import { ticketingDatabase } from './ticketing.database.js';

/** What ticketing takes from the platform (PlatformModule.forService). */
export const ticketingPlatform: PlatformOptions = { service: 'ticketing', database: ticketingDatabase, messaging: true, consumes: true };

/**
 * Every setting ticketing reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function ticketingSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(ticketingPlatform, env),
    ticketSigner: HmacTicketSigner.fromEnv(env),
  };
}

/** What ticketingSettingsFromEnv made of the environment at boot: all the module (TicketingModule.withSettings) is given. */
export type TicketingSettings = ReturnType<typeof ticketingSettingsFromEnv>;
