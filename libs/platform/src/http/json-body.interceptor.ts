import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import bodyParser from 'body-parser';
import type { Observable } from 'rxjs';
import { problem } from './problem.js';
import { ProblemException } from './problem-exception.js';

/**
 * Reads a JSON body as the last step before the route's pipes, after every
 * guard: a caller without a valid token learns that (401) before anything
 * about its body, and the body of a request that is refused is never parsed.
 * Express middleware would parse it first, for every request. A route that
 * takes no body (no `@Body()` argument) ignores one: it is never read.
 *
 * The bytes must be UTF-8 (RFC 8259 §8.1): body-parser alone would decode
 * invalid sequences to U+FFFD and the text would be stored changed.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly parser: (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

  /**
   * @param checkBody runs once the body's bytes are read, before they are parsed
   *   (a context checks them against its caller token: ADR 0017); it throws to refuse.
   *   It sees `undefined` when the request has no body.
   */
  constructor(
    limit: string,
    private readonly checkBody?: (request: IncomingMessage, raw: Buffer | undefined) => void,
  ) {
    this.parser = bodyParser.json({
      limit,
      verify: (request, response, body, encoding) => {
        refuseInvalidUtf8(request, response, body, encoding);
        this.checkBody?.(request, body);
        (request as { bodyChecked?: boolean }).bodyChecked = true;
      },
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    // Global interceptors are inherited by the Kafka microservice; a message has no HTTP body.
    if (context.getType() === 'http' && takesBody(context)) {
      const http = context.switchToHttp();
      const request = http.getRequest<IncomingMessage & { body?: unknown }>();
      await new Promise<void>((resolve, reject) => this.parser(request, http.getResponse(), (error) => (error ? reject(error) : resolve())));
      // body-parser calls verify only for a body it reads: a request without one is checked too.
      if (!(request as { bodyChecked?: boolean }).bodyChecked) this.checkBody?.(request, undefined);
      // body-parser leaves a body of another media type unread; the route would see none and say only that.
      if (request.body === undefined && hasBody(request)) {
        throw new ProblemException(problem(415, 'unsupported-media-type', 'Unsupported media type', { detail: 'send the body as application/json' }));
      }
    }
    return next.handle();
  }
}

/** Nest records each handler's arguments as `<paramtype>:<index>` keys. */
function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function refuseInvalidUtf8(_request: IncomingMessage, _response: ServerResponse, body: Buffer, encoding: string): void {
  if (encoding !== 'utf-8' && encoding !== 'utf8') throw Object.assign(new Error(`charset ${encoding} is not UTF-8`), { status: 415, type: 'charset.unsupported' });
  if (!isUtf8(body)) throw Object.assign(new Error('the body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
}
