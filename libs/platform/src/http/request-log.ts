import type { NextFunction, Request, Response } from 'express';
import { traceFields, type JsonLogger } from '@boxoffice/observability';
import { PATHS_WITHOUT_CALLER_TOKEN } from '../auth/caller-authentication.js';

/**
 * One log line per answered request (`msg: "request"`: method, path without
 * the query, status, milliseconds), carrying the request's trace id like
 * every other line. Probes and scrapes are left out: several a second on
 * every replica, they would drown the requests people look for.
 *
 * Within a trace the answer also carries `traceresponse` (W3C Trace Context
 * level 2: `00-<trace id>-<span id>-<flags>`), so a client (the storefront,
 * the operations console, curl) can open the trace of what it just did.
 */
export function requestLog(logger: JsonLogger): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    const path = request.originalUrl.split('?', 1)[0] ?? '';
    if (PATHS_WITHOUT_CALLER_TOKEN.includes(path)) return next();
    const started = process.hrtime.bigint();
    // Read now, in the request's context: `finish` may fire outside it.
    const trace = traceFields();
    if (trace.traceId) response.setHeader('traceresponse', `00-${trace.traceId}-${trace.spanId}-01`);
    response.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log({ msg: 'request', ...trace, method: request.method, path, status: response.statusCode, ms: Math.round(ms * 10) / 10 }, 'HTTP');
    });
    next();
  };
}
