import { Logger } from '@nestjs/common';
import { problem, ProblemException } from '@boxoffice/platform';

export interface UpstreamResponse<T = unknown> {
  status: number;
  body: T;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  correlationId: string;
  /**
   * Safe to send again after a broken connection, when we cannot know whether
   * the first try arrived: every GET, and commands carrying an idempotency key.
   */
  idempotent?: boolean;
}

/**
 * One context's internal HTTP API, spread over its replicas. Requests go
 * round-robin. A replica that refuses the connection is skipped for the next
 * one (safe: nothing reached it); a connection that breaks or times out is
 * retried on the next replica only for idempotent requests, because the
 * first try may have arrived. Replies that are problems (4xx/5xx from the
 * context) are passed through as they are; an unreachable context is a 503.
 */
export class Upstream {
  private readonly logger = new Logger('Upstream');
  private next = 0;

  constructor(
    readonly name: string,
    private readonly baseUrls: string[],
    private readonly timeoutMillis = 5000,
  ) {
    if (baseUrls.length === 0) throw new Error(`no URL configured for upstream ${name}`);
  }

  async call<T>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    // Each request walks every replica once from its own starting point, whatever concurrent requests do.
    const start = this.next++;
    for (let tried = 0; tried < this.baseUrls.length; tried++) {
      const baseUrl = this.baseUrls[(start + tried) % this.baseUrls.length];
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${request.path}`, {
          method: request.method,
          headers: { 'content-type': 'application/json', 'x-correlation-id': request.correlationId },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(this.timeoutMillis),
        });
      } catch (error) {
        const idempotent = request.idempotent ?? request.method === 'GET';
        if (isConnectionRefused(error) || idempotent) {
          this.logger.warn({ msg: 'upstream replica failed; trying the next', upstream: this.name, baseUrl, error: describe(error) });
          continue;
        }
        throw ProblemException.unavailable(`${this.name} did not answer (${describe(error)})`);
      }
      const text = await response.text();
      const body = text ? (JSON.parse(text) as T) : (undefined as T);
      return { status: response.status, body };
    }
    throw ProblemException.unavailable(`${this.name} is unavailable`);
  }

  /** Calls and returns the body of a 2xx reply; passes a problem reply through unchanged. */
  async expectOk<T>(request: UpstreamRequest): Promise<T> {
    const response = await this.call<T>(request);
    if (response.status >= 200 && response.status < 300) return response.body;
    const body = response.body as { code?: string; title?: string } | undefined;
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      throw new ProblemException({ ...(body as ConstructorParameters<typeof ProblemException>[0]), status: response.status });
    }
    throw new ProblemException(problem(502, 'bad-upstream-reply', `${this.name} answered ${response.status}`));
  }
}

function isConnectionRefused(error: unknown): boolean {
  return (error as { cause?: { code?: string } })?.cause?.code === 'ECONNREFUSED';
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? String(error);
}
