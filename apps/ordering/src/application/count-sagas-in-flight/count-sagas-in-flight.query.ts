import { Injectable } from '@nestjs/common';
import { OrderStore, type SagasInState } from '../ports/order-store.port.js';

/** The sagas under way, by state, oldest placed first within the answer: what the operations console shows. */
@Injectable()
export class CountSagasInFlightQuery {
  constructor(private readonly orders: OrderStore) {}

  async execute(): Promise<{ inFlight: number; states: SagasInState[] }> {
    const states = (await this.orders.countInFlight()).sort((a, b) => a.oldestPlacedAt.getTime() - b.oldestPlacedAt.getTime());
    return { inFlight: states.reduce((sum, s) => sum + s.count, 0), states };
  }
}
