import { Injectable } from '@nestjs/common';
import { OrderStore, type SagaInFlight, type SagasInState } from '../ports/order-store.port.js';

/** How many of the oldest sagas in flight the console lists one by one, each with its trace. */
export const OLDEST_SAGAS_LISTED = 10;

/**
 * The sagas under way, by state, oldest placed first within the answer, and
 * the oldest few one by one: what the operations console shows.
 */
@Injectable()
export class CountSagasInFlightQuery {
  constructor(private readonly orders: OrderStore) {}

  async execute(): Promise<{ inFlight: number; states: SagasInState[]; oldest: SagaInFlight[] }> {
    const [counted, oldest] = await Promise.all([this.orders.countInFlight(), this.orders.oldestInFlight(OLDEST_SAGAS_LISTED)]);
    const states = counted.sort((a, b) => a.oldestPlacedAt.getTime() - b.oldestPlacedAt.getTime());
    return { inFlight: states.reduce((sum, s) => sum + s.count, 0), states, oldest };
  }
}
