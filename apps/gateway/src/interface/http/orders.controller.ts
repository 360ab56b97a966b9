import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CustomerOrdersLimit,
  CustomerOrdersView,
  CustomerTicketsView,
  IdempotencyKey,
  IdParam,
  MAX_ORDER_WAIT_SECONDS,
  OrderDetailsView,
  OrderView,
  PlaceOrderRequest,
  preferredWaitSeconds,
  waitPreference,
} from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, problem, ProblemException, ZodPipe } from '@boxoffice/platform';
import type { UpstreamRequest } from '../../infrastructure/upstream.js';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/role.guard.js';
import { ApiAnswer, ApiHeaderParam, ApiJsonBody, ApiPathParam, ApiProblems, ApiQueryParam, ApiUpstreamProblems, linkById, type ApiLink } from './openapi.js';

/** From an order to what can be done with it. */
const REFUND_LINK = linkById('OrdersController_refund', 'Refund the order once it is confirmed', 'orderId');
const ORDER_LINKS: Record<string, ApiLink> = { order: linkById('OrdersController_get', 'Read the order (poll it until it is settled)', 'orderId'), refund: REFUND_LINK };

/** How much longer than the wait it asked for the gateway gives ordering to answer a long poll. */
const UPSTREAM_MARGIN_SECONDS = 5;

const WAIT_PREFERENCE = `\`wait=N\` (RFC 7240): answer as soon as the order is settled, or after N seconds (at most ${MAX_ORDER_WAIT_SECONDS}) with the order as it stands; \`Preference-Applied\` says it was honoured`;

/** The preference passed on to ordering, and the longer bound its answer then needs. */
function waitingFor(waitSeconds: number): Pick<UpstreamRequest, 'wait'> {
  return waitSeconds > 0 ? { wait: { headers: { prefer: waitPreference(waitSeconds) }, timeoutMillis: (waitSeconds + UPSTREAM_MARGIN_SECONDS) * 1000 } } : {};
}

@ApiTags('orders')
@ApiUpstreamProblems()
@Controller()
export class OrdersController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('orders')
  @RequireRole('customer', 'admin')
  @ApiOperation({
    summary: 'Place an order for seats; settles asynchronously (poll the Location, wait with `Prefer: wait=N`, or pass a callbackUrl)',
    description:
      'Whether the show is on sale and has the seats is decided by inventory when the order holds them, not here: an order for an unknown, ' +
      'unpublished or cancelled show, or for seats it does not have, is accepted and then settles `rejected` with the reason ' +
      '(`show-not-on-sale`, `unknown-seats`, `seats-unavailable`), before any payment (docs/adr/0043).',
  })
  @ApiHeaderParam('Idempotency-Key', IdempotencyKey, 'Retrying with the same key returns the same order, never a second one', true)
  @ApiHeader({ name: 'Prefer', required: false, description: WAIT_PREFERENCE })
  @ApiJsonBody(PlaceOrderRequest)
  @ApiAnswer(202, 'OrderView', OrderView, 'Accepted; the body is the order as it stands, Location is where to poll', { location: true, links: ORDER_LINKS })
  @ApiAnswer(201, 'OrderView', OrderView, 'Asked to wait (`Prefer: wait=N`) and settled in time: the body is the settled order', { location: true, links: ORDER_LINKS })
  @ApiProblems(409, 422)
  async place(
    @Body(new ZodPipe(PlaceOrderRequest)) body: PlaceOrderRequest,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Causal() causal: CausalContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const key = IdempotencyKey.safeParse(rawKey);
    if (!key.success) {
      throw new ProblemException(
        problem(400, 'idempotency-key-required', 'Idempotency-Key header missing or invalid', {
          detail: 'send a unique key of 8 to 200 printable characters per order; retry with the same key',
          errors: key.error.issues.map((issue) => ({ in: 'header', path: 'Idempotency-Key', message: issue.message })),
        }),
      );
    }
    const idempotencyKey = key.data;
    const waitSeconds = preferredWaitSeconds(prefer);
    const order = await this.upstreams.ordering.expectOk<OrderView>({
      method: 'POST',
      path: '/orders',
      // Who orders is not in the body: ordering reads it from the caller token.
      body: { ...body, idempotencyKey },
      correlationId: causal.correlationId,
      principal,
      idempotent: true,
      ...waitingFor(waitSeconds),
    });
    if (waitSeconds > 0) response.setHeader('Preference-Applied', waitPreference(waitSeconds));
    response.status(waitSeconds > 0 && order.settled ? 201 : 202).setHeader('Location', `/orders/${order.orderId}`);
    return order;
  }

  @Get('orders/:id')
  @RequireRole('customer', 'admin')
  @ApiOperation({ summary: 'An order of mine, with its status and the saga steps it passed; with `Prefer: wait=N`, as soon as it is settled (a long poll)' })
  @ApiPathParam('id', IdParam)
  @ApiHeader({ name: 'Prefer', required: false, description: WAIT_PREFERENCE })
  @ApiAnswer(200, 'OrderDetailsView', OrderDetailsView, 'The order as it stands (settled, if it settled within the wait asked for), with `placedAt` and its `history`', {
    links: {
      refund: REFUND_LINK,
      trace: linkById('TracesController_trace', 'Its checkout as a waterfall (admins)', 'traceId', 'traceId'),
    },
  })
  @ApiProblems(404)
  async get(
    @Param('id', new ZodPipe(IdParam)) id: string,
    @Headers('prefer') prefer: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Causal() causal: CausalContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderDetailsView> {
    const waitSeconds = preferredWaitSeconds(prefer);
    // Ordering checks that it is the caller's (admins: anyone's) before any wait: someone else's order is its 404.
    const order = await this.upstreams.ordering.expectOk<OrderDetailsView>({ method: 'GET', path: `/orders/${id}`, correlationId: causal.correlationId, principal, ...waitingFor(waitSeconds) });
    if (waitSeconds > 0) response.setHeader('Preference-Applied', waitPreference(waitSeconds));
    return order;
  }

  @Post('orders/:id/refund')
  @RequireRole('customer', 'admin')
  @ApiOperation({ summary: 'Refund a confirmed order of mine in full; settles asynchronously (poll the order until it is refunded)' })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(202, 'OrderView', OrderView, 'Accepted (also when asked again): the body is the order as it stands, refunding or refunded', { location: true })
  @ApiProblems(404, 409)
  async refund(
    @Param('id', new ZodPipe(IdParam)) id: string,
    @CurrentPrincipal() principal: Principal,
    @Causal() causal: CausalContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    // Ordering refunds only the caller's order (admins: anyone's). Asking again changes nothing, so a broken connection may be retried on another replica.
    const refunding = await this.upstreams.ordering.expectOk<OrderView>({ method: 'POST', path: `/orders/${id}/refund`, correlationId: causal.correlationId, principal, idempotent: true });
    response.status(202).setHeader('Location', `/orders/${id}`);
    return refunding;
  }

  @Get('me/orders')
  @RequireRole('customer', 'admin')
  @ApiOperation({ summary: 'My orders, newest first, a page at a time, each with the saga steps it passed (gathered from every ordering shard)' })
  @ApiQueryParam('limit', CustomerOrdersLimit, 'How many orders a page lists: 20 unless asked, at most 100')
  @ApiQueryParam('after', IdParam.optional(), 'The page after this order: the `next` of the page before')
  @ApiAnswer(200, 'CustomerOrdersView', CustomerOrdersView, 'A page of my orders; `next` is the `after` of the following page, null on the last one')
  @ApiProblems(404)
  orders(
    @Query('limit', new ZodPipe(CustomerOrdersLimit)) limit: number | undefined,
    @Query('after', new ZodPipe(IdParam.optional())) after: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Causal() causal: CausalContext,
  ): Promise<CustomerOrdersView> {
    // Whose orders comes from the token alone; ordering checks the caller token names that customer.
    const query = new URLSearchParams({ ...(limit === undefined ? {} : { limit: String(limit) }), ...(after === undefined ? {} : { after }) }).toString();
    const path = `/customers/${encodeURIComponent(principal.id)}/orders${query ? `?${query}` : ''}`;
    return this.upstreams.ordering.expectOk({ method: 'GET', path, correlationId: causal.correlationId, principal });
  }

  @Get('me/tickets')
  @RequireRole('customer', 'admin')
  @ApiOperation({ summary: 'My tickets (eventually consistent: they appear shortly after the order is confirmed)' })
  @ApiAnswer(200, 'CustomerTicketsView', CustomerTicketsView, 'Every ticket of mine')
  tickets(@CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<CustomerTicketsView> {
    return this.upstreams.ticketing.expectOk({ method: 'GET', path: `/customers/${encodeURIComponent(principal.id)}/tickets`, correlationId: causal.correlationId, principal });
  }
}
