import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IdParam, PlaceOrderCommand, preferredWaitSeconds, waitPreference, type OrderDetailsView, type OrderView } from '@boxoffice/contracts';
import { Allow, CallerPrincipal, ownerScope, ProblemException, ZodPipe, type Principal } from '@boxoffice/platform';
import { GetOrderQuery, type OrderDetails, type OrderReading } from '../../application/get-order/get-order.query.js';
import { PlaceOrderHandler } from '../../application/place-order/place-order.handler.js';
import { RequestRefundHandler } from '../../application/request-refund/request-refund.handler.js';

/**
 * Every route acts for the signed-in end user of the caller token: an order
 * is placed for them, and a customer reads and refunds only their own orders
 * (someone else's is a 404, as an unknown one is); an admin any order.
 */
@Allow('customer', 'admin')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderHandler,
    private readonly getOrder: GetOrderQuery,
    private readonly requestRefund: RequestRefundHandler,
  ) {}

  /**
   * 202: the order is accepted and its saga runs; poll the Location (or wait
   * for the callback). With `Prefer: wait=N`, the answer waits up to N seconds
   * for the order to settle: 201 with the settled order, or 202 as without it.
   */
  @Post()
  async place(
    @Body(new ZodPipe(PlaceOrderCommand)) body: PlaceOrderCommand,
    @Headers('prefer') prefer: string | undefined,
    @CallerPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const result = await this.placeOrder.execute({ ...body, customerId: principal.id, customerEmail: principal.email, callbackUrl: body.callbackUrl ?? null });
    if (!result.ok) {
      if (result.error.code === 'idempotency-key-reused') throw ProblemException.conflict(result.error.code, result.error.message);
      throw ProblemException.unprocessable(result.error.code, result.error.message);
    }
    const order = result.value.order;
    const waitSeconds = preferredWaitSeconds(prefer);
    const waited = waitSeconds > 0 ? await this.getOrder.execute(order.id, waitSeconds * 1000) : undefined;
    const view = toView(waited ?? { ...order.snapshot(), settled: order.isSettled });
    if (waitSeconds > 0) response.setHeader('Preference-Applied', waitPreference(waitSeconds));
    response.status(waitSeconds > 0 && view.settled ? 201 : 202).setHeader('Location', `/orders/${order.id}`);
    return view;
  }

  /**
   * 202: the refund runs (poll the order until it is refunded). Asking again
   * answers the same; an order that is not confirmed is a 409 (its state,
   * not the request, is in the way).
   */
  @Post(':id/refund')
  async refund(@Param('id', new ZodPipe(IdParam)) id: string, @CallerPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<OrderView> {
    const result = await this.requestRefund.execute(id, { customerId: ownerScope(principal) });
    if (!result) throw ProblemException.notFound('Order', `no order with id ${id}`);
    if (!result.ok) throw ProblemException.conflict(result.error.code, result.error.message);
    response.status(202).setHeader('Location', `/orders/${id}`);
    return toView(result.value);
  }

  /**
   * With `Prefer: wait=N`, answers as soon as the order is settled, or after N seconds with the order as it stands.
   * Someone else's order is a 404 at once, before any wait (a wait would tell that it exists).
   * With when it was placed and the saga steps it passed.
   */
  @Get(':id')
  async get(
    @Param('id', new ZodPipe(IdParam)) id: string,
    @Headers('prefer') prefer: string | undefined,
    @CallerPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderDetailsView> {
    const waitSeconds = preferredWaitSeconds(prefer);
    const order = await this.getOrder.execute(id, waitSeconds * 1000, { customerId: ownerScope(principal) });
    if (!order) throw ProblemException.notFound('Order', `no order with id ${id}`);
    if (waitSeconds > 0) response.setHeader('Preference-Applied', waitPreference(waitSeconds));
    return toDetailsView(order);
  }
}

export function toView(order: OrderReading): OrderView {
  return {
    orderId: order.id,
    customerId: order.customerId,
    showId: order.showId,
    seatIds: order.seatIds,
    status: order.status,
    settled: order.settled,
    rejectionReason: order.rejectionReason,
    seats: order.seats,
    total: order.total,
    callbackUrl: order.callbackUrl,
  };
}

/** The order with when it was placed and its saga history, oldest step first. */
export function toDetailsView(order: OrderDetails): OrderDetailsView {
  return {
    ...toView(order),
    placedAt: order.placedAt.toISOString(),
    history: order.history.map((step) => ({ status: step.status, at: step.at.toISOString(), reason: step.reason })),
    traceId: order.traceId,
  };
}
