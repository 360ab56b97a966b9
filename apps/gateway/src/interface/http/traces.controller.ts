import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TraceIdParam, TraceView } from '@boxoffice/contracts';
import { ZodPipe } from '@boxoffice/platform';
import { TraceBackend } from '../../infrastructure/operations/trace-backend.js';
import { RequireRole } from '../auth/role.guard.js';
import { ApiAnswer, ApiPathParam, ApiProblems } from './openapi.js';

/**
 * One trace for the operations console's waterfall (ADR 0037), read from
 * the trace backend (TRACES_QUERY_URL) when asked: browsers never reach the
 * backend themselves, the admin's token guards it here.
 */
@ApiTags('operations')
@RequireRole('admin')
@Controller('admin/ops/traces')
export class TracesController {
  constructor(private readonly backend: TraceBackend) {}

  @Get(':traceId')
  @ApiOperation({
    summary:
      "One trace as a waterfall: its spans depth first, each with its parent, app and replica, name, kind, start offset and duration in ms, status and error, and a few attributes; the apps in it; how many spans still lack their parent (spans arrive a second or so after they end)",
  })
  @ApiPathParam('traceId', TraceIdParam, 'A W3C trace id, e.g. from the `traceresponse` header of `POST /orders`')
  @ApiAnswer(200, 'TraceView', TraceView, 'The trace')
  // 404: the backend has no span of it (not yet, or no longer); 502: the backend answered something else; 503: no backend configured (`no-trace-backend`), or it did not answer.
  @ApiProblems(404, 502, 503)
  trace(@Param('traceId', new ZodPipe(TraceIdParam)) traceId: string): Promise<TraceView> {
    return this.backend.trace(traceId);
  }
}
