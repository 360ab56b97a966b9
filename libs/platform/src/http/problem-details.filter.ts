import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isUnreachable } from '@boxoffice/persistence';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';
import { ProblemException } from './problem-exception.js';

/**
 * Turns every error, ours or the framework's, into a problem+json body with
 * the right status. Unknown errors become a 500 that reveals nothing internal
 * and are logged in full.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = { ...this.toProblem(exception), instance: request.originalUrl };
    if (body.status >= 500) this.logger.error({ msg: 'request failed', path: request.originalUrl, error: describe(exception) });
    if (body.status === 503) response.setHeader('Retry-After', '1');
    if (exception instanceof ProblemException) for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ProblemException) return exception.problem;
    // A database that is down or cannot confirm a commit in time: the request may succeed later.
    if (isUnreachable(exception)) return problem(503, 'database-unavailable', 'Service unavailable', { detail: 'the database is unavailable; retry later (with the same Idempotency-Key)' });
    const bodyParserError = asBodyParserError(exception);
    if (bodyParserError) return bodyParserError;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      return problem(status, slug(exception.name), exception.message, {
        detail: Array.isArray(detail) ? detail.join('; ') : typeof detail === 'string' ? detail : undefined,
      });
    }
    return problem(500, 'internal-error', 'Internal server error');
  }
}

/**
 * Express's body parser reports malformed and oversized bodies with a `type`;
 * Nest wraps them in an HttpException whose `cause` is the original error.
 */
function asBodyParserError(exception: unknown): Problem | undefined {
  const wrapped = exception as { cause?: unknown } | undefined;
  const error = (wrapped?.cause ?? exception) as { type?: string; limit?: number; status?: number; expose?: boolean; message?: string } | undefined;
  if (error?.type === 'entity.parse.failed') return problem(400, 'malformed-json', 'Malformed JSON body');
  if (error?.type === 'entity.too.large') return problem(413, 'payload-too-large', 'Request body too large', { detail: `limit is ${error.limit} bytes` });
  if (error?.type === 'encoding.unsupported' || error?.type === 'charset.unsupported') return problem(415, 'unsupported-encoding', 'Unsupported body encoding', { detail: 'send JSON as UTF-8, uncompressed or gzip/deflate/br' });
  if (error?.type === 'encoding.invalid') return problem(400, 'invalid-utf8', 'Body is not valid UTF-8');
  if (error?.type === 'request.aborted' || error?.type === 'request.size.invalid') return problem(400, 'malformed-body', 'Body not received as announced');
  // Any other client error Express's own parts raise (http-errors marks those meant for the client `expose`).
  if (error?.expose === true && typeof error.status === 'number' && error.status >= 400 && error.status < 500) return problem(error.status, 'bad-request', 'Bad request', { detail: error.message });
  return undefined;
}

function slug(name: string): string {
  return name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase() || 'error';
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
