import { kafkaSettingsFromEnv } from '@boxoffice/messaging';
import { instanceIdFromEnv, platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { traceBackendSettingsFromEnv } from './infrastructure/operations/trace-backend.js';
import { Upstreams } from './infrastructure/upstreams.js';
import { authSettingsFromEnv } from './interface/auth/auth-settings.js';
import { allowedOriginsFromEnv } from './interface/http/cors.js';

/** What gateway takes from the platform (PlatformModule.forService). */
export const gatewayPlatform: PlatformOptions = { service: 'gateway', edge: true };

/**
 * Every setting gateway reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function gatewaySettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(gatewayPlatform, env),
    auth: authSettingsFromEnv(env),
    upstreams: new Upstreams(env),
    corsAllowedOrigins: allowedOriginsFromEnv(env),
    seatFeed: seatFeedSettingsFromEnv(env),
    traceBackend: traceBackendSettingsFromEnv(env),
  };
}

/** What gatewaySettingsFromEnv made of the environment at boot: all the module (GatewayModule.withSettings) is given. */
export type GatewaySettings = ReturnType<typeof gatewaySettingsFromEnv>;

/** The live seat maps' Kafka consumer: the brokers, and this replica's instance id, which names its consumer group. */
export function seatFeedSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return { kafka: kafkaSettingsFromEnv(env), instance: instanceIdFromEnv('gateway', env) };
}
