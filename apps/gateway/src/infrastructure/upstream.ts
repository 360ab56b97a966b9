import { Agent, request as httpRequest } from 'node:http';
import { Logger } from '@nestjs/common';
import { problem, ProblemException, type CallerTokenSigner, type Principal } from '@boxoffice/platform';

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
   * Whom the request acts for, told to the context in the caller token it
   * checks (null: an anonymous request). Required, so that no call can
   * forget to say.
   */
  principal: Principal | null;
  /**
   * Safe to send again after a broken connection, when we cannot know whether
   * the first try arrived: every GET, and commands carrying an idempotency key.
   */
  idempotent?: boolean;
  /**
   * A call asked to wait (a long poll): the headers that ask for it, and the
   * longer bound its answer then needs. Only the first try waits: a retry
   * after that try timed out asks for an answer at once, because the client
   * has already waited once.
   */
  wait?: { headers: Record<string, string>; timeoutMillis: number };
}

/**
 * One context's internal HTTP API, spread over its replicas. Requests go
 * round-robin. A replica that refuses the connection is skipped for the next
 * one (safe: nothing reached it); a connection that breaks or times out is
 * retried on the next replica only for idempotent requests, because the
 * first try may have arrived. Replies that are problems (4xx/5xx from the
 * context) are passed through as they are; an unreachable context is a 503.
 * Every try carries a fresh caller token for exactly that request, signed
 * for this context (ADR 0017).
 */
/** An idle connection to a context is closed after this long at most (Node's servers close theirs after 5 s). */
const IDLE_SOCKET_MILLIS = 4000;

export class Upstream {
  private readonly logger = new Logger('Upstream');
  /**
   * Keeps connections open between calls. `timeout` is what makes the agent
   * heed a context's `Keep-Alive: timeout=N`: it then retires an idle socket
   * a second before the context would close it (without it, Node's agent keeps
   * idle sockets for ever, and a command sent just as the context closes one
   * breaks and cannot be retried). The bound is the idle time of a socket; a
   * call's own time limit is `timeoutMillis` below.
   */
  private readonly agent = new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MILLIS });
  private next = 0;

  constructor(
    readonly name: string,
    readonly baseUrls: string[],
    private readonly signer: CallerTokenSigner,
    private readonly timeoutMillis = 5000,
  ) {
    if (baseUrls.length === 0) throw new Error(`no URL configured for upstream ${name}`);
  }

  async call<T>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    // Each request walks every replica once from its own starting point, whatever concurrent requests do.
    const start = this.next++;
    let wait = request.wait;
    for (let tried = 0; tried < this.baseUrls.length; tried++) {
      const baseUrl = this.baseUrls[(start + tried) % this.baseUrls.length];
      let response: { status: number; text: string };
      try {
        response = await this.send(baseUrl, request, wait);
      } catch (error) {
        const idempotent = request.idempotent ?? request.method === 'GET';
        if (isConnectionRefused(error) || idempotent) {
          this.logger.warn({ msg: 'upstream replica failed; trying the next', upstream: this.name, baseUrl, error: describe(error) });
          if (error instanceof UpstreamTimeoutError) wait = undefined;
          continue;
        }
        throw ProblemException.unavailable(`${this.name} did not answer (${describe(error)})`);
      }
      const body = response.text ? (JSON.parse(response.text) as T) : (undefined as T);
      return { status: response.status, body };
    }
    throw ProblemException.unavailable(`${this.name} is unavailable`);
  }

  /**
   * node:http with a keep-alive agent rather than fetch: the gateway makes one
   * upstream call per request it serves, and fetch's WHATWG streams cost
   * several times more CPU per call (BENCHMARKS.md). The agent follows the
   * server's Keep-Alive timeout (see `agent`), so it does not reuse a socket
   * the context is about to close.
   */
  private send(baseUrl: string, request: UpstreamRequest, wait: UpstreamRequest['wait']): Promise<{ status: number; text: string }> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const url = new URL(`${baseUrl}${request.path}`);
    // Signed as the request line will carry it, after the URL parser normalised the path.
    const token = this.signer.sign({ audience: this.name, method: request.method, path: `${url.pathname}${url.search}`, body, principal: request.principal });
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        url,
        {
          method: request.method,
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-correlation-id': request.correlationId,
            ...wait?.headers,
            ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
          },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            clearTimeout(timer);
            resolve({ status: incoming.statusCode ?? 502, text: Buffer.concat(chunks).toString('utf8') });
          });
          incoming.on('error', reject);
        },
      );
      const timeoutMillis = wait?.timeoutMillis ?? this.timeoutMillis;
      const timer = setTimeout(() => outgoing.destroy(new UpstreamTimeoutError(timeoutMillis)), timeoutMillis);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end(body);
    });
  }

  /** Calls and returns the body of a 2xx reply; passes a problem reply through unchanged. */
  async expectOk<T>(request: UpstreamRequest): Promise<T> {
    const response = await this.call<T>(request);
    if (response.status >= 200 && response.status < 300) return response.body;
    const body = response.body as { code?: string; title?: string } | undefined;
    if (response.status === 401 && body?.code === 'caller-unauthenticated') {
      // The context refused the gateway itself (keys or clocks out of step): not the end user's fault.
      this.logger.error({ msg: 'upstream refused the caller token', upstream: this.name, problem: body });
      throw new ProblemException(problem(502, 'bad-upstream-reply', `${this.name} refused the gateway's credentials`));
    }
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      throw new ProblemException({ ...(body as ConstructorParameters<typeof ProblemException>[0]), status: response.status });
    }
    throw new ProblemException(problem(502, 'bad-upstream-reply', `${this.name} answered ${response.status}`));
  }
}

class UpstreamTimeoutError extends Error {
  constructor(millis: number) {
    super(`no answer within ${millis} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

/** Nothing reached the replica: safe to try the next one with any request. */
function isConnectionRefused(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'ECONNREFUSED';
}

function describe(error: unknown): string {
  if (error instanceof UpstreamTimeoutError) return 'timed out';
  return (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}
