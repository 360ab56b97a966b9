import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { METRIC_PREFIX, PlatformMetrics } from '@boxoffice/platform';
import type { OrderStatus } from '../../domain/order/order.aggregate.js';

/** Saga steps take milliseconds to a few seconds; the step timeout (30 s by default) bounds them. */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The checkout saga on /metrics: how orders settle (`boxoffice_saga_outcomes_total`
 * by outcome and reason) and how long each step took, from the command
 * sent to the reply that ended the step (`boxoffice_saga_step_seconds`).
 * The order store tells it a move once the transaction that made it has
 * committed (afterCommit): a change whose commit fails is not counted, and
 * counted once when its message is redone.
 */
@Injectable()
export class SagaMetrics {
  private readonly outcomes: Counter;
  private readonly steps: Histogram;
  private readonly waiting: Gauge;

  constructor(metrics: PlatformMetrics) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: `${METRIC_PREFIX}saga_outcomes_total`,
      help: 'Checkout sagas settled, by outcome (confirmed, rejected, refunded) and reason (the rejection or refund reason without its detail; "none" for a confirmation)',
      labelNames: ['outcome', 'reason'],
      registers,
    });
    this.steps = new Histogram({
      name: `${METRIC_PREFIX}saga_step_seconds`,
      help: 'Seconds a checkout saga step took, from its command (or its last retry) to the reply that ended it, by step (the order status during the step)',
      labelNames: ['step'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.waiting = new Gauge({
      name: `${METRIC_PREFIX}saga_timeouts_waiting_seconds`,
      help: 'Seconds since this replica last found every saga reply on the broker read by ordering; step time-outs wait meanwhile (0: they run)',
      registers,
    });
  }

  /** Step time-outs have waited `seconds` for ordering to read the replies on the broker (0: they run). */
  timeOutsWaiting(seconds: number): void {
    this.waiting.set(seconds);
  }

  /** An order moved, committed, from `from` (a step, `stepSeconds` after it began) to `to`, with `reason` when it failed. */
  moved(from: OrderStatus, to: OrderStatus, stepSeconds: number | null, reason: string | null): void {
    if (stepSeconds !== null && !SETTLED.has(from)) this.steps.observe({ step: from }, Math.max(0, stepSeconds));
    if (SETTLED.has(to) && !SETTLED.has(from)) this.outcomes.inc({ outcome: to, reason: to === 'confirmed' ? 'none' : reasonLabel(reason) });
  }
}

const SETTLED = new Set<OrderStatus>(['confirmed', 'rejected', 'refunded']);

/** `payment-declined: card-expired` counts as `payment-declined`: the label keeps a handful of values. */
function reasonLabel(reason: string | null): string {
  return (reason ?? 'unknown').split(':', 1)[0].trim() || 'unknown';
}
