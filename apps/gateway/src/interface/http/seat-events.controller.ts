import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IdParam, SeatChangeEvent, SeatMapShowEvent, SeatMapView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ZodPipe } from '@boxoffice/platform';
import { SeatFeed, type SeatStreamEvent } from '../../infrastructure/seat-feed.js';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { ApiPathParam, ApiProblems, ApiUpstreamProblems, openApiSchema } from './openapi.js';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MILLIS = 15_000;
/** A stream ends after this long and the browser reconnects (to any replica) with a fresh snapshot. */
export const SEAT_STREAM_MAX_MILLIS = 10 * 60_000;
/** How long EventSource waits before reconnecting. */
const RETRY_MILLIS = 2_000;

const STREAM_DESCRIPTION =
  'A `text/event-stream` (server-sent events) that starts with one `snapshot` event, the seat map as inventory has it now ' +
  `(schema ${'`SeatMapView`'}, with the show's \`status\`), then a \`seats\` event for every change to the show's seats as the seat events on Kafka tell it ` +
  "(schema `SeatChangeEvent`: `held`, `sold`, `free` again, `withdrawn` when the show is cancelled; whose seat it is is never said), " +
  "and a `show` event when the show is cancelled (schema `SeatMapShowEvent`, `status: cancelled`): right after the snapshot when it was cancelled before the stream opened, " +
  'else when the cancellation arrives; from then on, every seat not sold is withdrawn. ' +
  `A comment line every ${HEARTBEAT_MILLIS / 1000} s; the stream ends after ${SEAT_STREAM_MAX_MILLIS / 60_000} minutes, and EventSource reconnects to a fresh snapshot. ` +
  'Live only for a client that asks for it with `Accept: text/event-stream` (as EventSource does); any other gets the `snapshot` event alone, and the answer ends.';

/** A client that names the event stream in Accept wants it live; any other (curl's default, generic clients) gets the snapshot and an end. */
function wantsLiveStream(accept: string | undefined): boolean {
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept ?? '');
}

/**
 * The live seat map (ADR 0033): one snapshot from inventory per stream, then
 * the changes this replica's seat feed fans out, never a poll per client.
 */
@ApiTags('shows')
@ApiUpstreamProblems()
@Controller('shows')
export class SeatEventsController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly feed: SeatFeed,
  ) {}

  @Get(':id/seat-events')
  @ApiOperation({ summary: "A show's seat map, live: a snapshot, then every change (server-sent events)", description: STREAM_DESCRIPTION })
  @ApiPathParam('id', IdParam)
  @ApiResponse({
    status: 200,
    description: STREAM_DESCRIPTION,
    // Before OpenAPI 3.2 (itemSchema), an event stream's schema describes each event: its name and its data.
    content: {
      'text/event-stream': {
        schema: {
          type: 'object',
          required: ['event', 'data'],
          properties: {
            event: { type: 'string', enum: ['snapshot', 'seats', 'show'] },
            data: {
              type: 'string',
              description: `JSON: of a \`snapshot\`, a SeatMapView; of \`seats\`, a SeatChangeEvent ${JSON.stringify(openApiSchema(SeatChangeEvent, 'output'))}; of \`show\`, a SeatMapShowEvent ${JSON.stringify(openApiSchema(SeatMapShowEvent, 'output'))}`,
            },
          },
        },
      },
    },
  })
  @ApiProblems(404)
  async stream(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext, @Req() request: Request, @Res() response: Response): Promise<void> {
    const live = wantsLiveStream(request.headers.accept);
    // Listening before the snapshot is read: a change made while it is read is sent after it, never lost between the two.
    const missed: SeatStreamEvent[] = [];
    let send: ((change: SeatStreamEvent) => void) | undefined = undefined;
    const unsubscribe = live ? this.feed.subscribe(id, (change) => (send ? send(change) : missed.push(change))) : () => undefined;
    let snapshot: SeatMapView;
    try {
      // Unknown and draft shows are inventory's 404, answered as problem+json before any stream starts.
      snapshot = await this.upstreams.inventory.expectOk<SeatMapView>({ method: 'GET', path: `/shows/${id}/seats`, correlationId: causal.correlationId, principal: null });
    } catch (error) {
      unsubscribe();
      throw error;
    }
    if (request.destroyed) {
      unsubscribe();
      return;
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    // ingress-nginx: pass each event on at once.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    const write = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    response.write(`retry: ${RETRY_MILLIS}\n\n`);
    write('snapshot', snapshot);
    if (!live) {
      response.end();
      return;
    }
    // A client that connects after the cancellation hears it as one that was connected did: at once, as the show's state.
    const cancelledBefore = snapshot.status === 'cancelled';
    if (cancelledBefore) write('show', { showId: id, status: 'cancelled' } satisfies SeatMapShowEvent);
    for (const change of missed) if (!(cancelledBefore && change.event === 'show')) write(change.event, change.data);
    send = (change) => write(change.event, change.data);

    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MILLIS);
    const end = () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      forget();
      if (!response.writableEnded) response.end();
    };
    const expiry = setTimeout(end, SEAT_STREAM_MAX_MILLIS);
    const forget = this.feed.onShutdown(end);
    request.on('close', end);
  }
}
