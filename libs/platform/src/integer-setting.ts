/**
 * A whole-number setting from the environment, with a default when it is not
 * set, and a message naming the setting when it is set to anything else than
 * a whole number in range (a stray `1s` must not become NaN, which a timer
 * would read as 1 ms).
 */
export function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`Setting ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}
