import type { SagaSettings } from '../domain/order/order.aggregate.js';

export const SAGA_SETTINGS = Symbol('SAGA_SETTINGS');

/** How long inventory holds seats for an order being paid. */
export function sagaSettingsFromEnv(env: NodeJS.ProcessEnv): SagaSettings & { stepTimeoutSeconds: number } {
  const holdSeconds = Number(env.ORDER_HOLD_SECONDS ?? 120);
  const stepTimeoutSeconds = Number(env.ORDER_STEP_TIMEOUT_SECONDS ?? 30);
  if (!Number.isInteger(holdSeconds) || holdSeconds < 1) throw new Error('Setting ORDER_HOLD_SECONDS must be a positive whole number');
  if (!Number.isInteger(stepTimeoutSeconds) || stepTimeoutSeconds < 1) throw new Error('Setting ORDER_STEP_TIMEOUT_SECONDS must be a positive whole number');
  return { holdSeconds, stepTimeoutSeconds };
}
