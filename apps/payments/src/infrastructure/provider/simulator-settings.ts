export interface SimulatorSettings {
  /** Share of orders declined, from 0 (none) to 1 (all). */
  declineRate: number;
  /** How long each authorization takes, to play a slow card network. */
  latencyMs: number;
}

/**
 * The consumer heartbeats between messages, not during one: a handler slower
 * than the consumer session (10 s) would be thrown out of its group. Half of
 * it leaves room for the database work.
 */
export const MAX_LATENCY_MS = 5000;

/** Reads PAYMENT_DECLINE_RATE (default 0) and PAYMENT_LATENCY_MS (default 0), failing at boot on a bad value. */
export function simulatorSettingsFromEnv(env: NodeJS.ProcessEnv): SimulatorSettings {
  return {
    declineRate: numberSetting(env, 'PAYMENT_DECLINE_RATE', (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    latencyMs: numberSetting(env, 'PAYMENT_LATENCY_MS', (n) => Number.isInteger(n) && n >= 0 && n <= MAX_LATENCY_MS, `whole milliseconds from 0 to ${MAX_LATENCY_MS}`),
  };
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, valid: (n: number) => boolean, expected: string): number {
  const raw = env[name]?.trim();
  if (!raw) return 0;
  const value = Number(raw);
  if (!Number.isFinite(value) || !valid(value)) throw new Error(`Invalid setting ${name}=${raw}: expected ${expected}`);
  return value;
}
