import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import { Order, type OrderRequest, type SagaSettings } from '../../domain/order/order.aggregate.js';
import { OrderStore } from '../ports/order-store.port.js';
import { SAGA_SETTINGS } from '../saga-settings.js';

/** Fixed namespace for order ids derived from (customer, idempotency key). */
const ORDER_ID_NAMESPACE = '6f1d3c2e-5b0a-4c47-9a53-0c2b7d1e8f40';

export interface PlaceOrder extends OrderRequest {
  idempotencyKey: string;
}

/**
 * Places an order exactly once per (customer, idempotency key). The order id
 * is derived from that pair, so a retry (even a concurrent one, even on
 * another replica) lands on the same row of the same shard and gets the same
 * order back; the same key with a different request is refused.
 */
@Injectable()
export class PlaceOrderHandler {
  constructor(
    private readonly orders: OrderStore,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {}

  async execute(command: PlaceOrder): Promise<Result<{ order: Order; created: boolean }>> {
    const { idempotencyKey, ...request } = command;
    const orderId = uuidv5(`${request.customerId}\n${idempotencyKey}`, ORDER_ID_NAMESPACE);
    const order = Order.place(orderId, request, this.settings);
    if (!order.ok) return order;
    const fingerprint = fingerprintOf(request);
    const placed = await this.orders.place(order.value, fingerprint, { correlationId: orderId, causationId: null });
    if (placed.created) return ok({ order: order.value, created: true });
    if (placed.fingerprint !== fingerprint) {
      return fail(violation('idempotency-key-reused', 'this Idempotency-Key was already used for a different order'));
    }
    return ok({ order: placed.existing, created: false });
  }
}

function fingerprintOf(request: OrderRequest): string {
  const canonical = JSON.stringify([request.showId, [...request.seatIds].sort(), request.callbackUrl ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}
