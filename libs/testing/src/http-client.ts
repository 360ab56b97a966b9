export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Headers that authorize one request (e.g. a caller token bound to its method, URL and body). */
export type Authorize = (method: string, url: URL, body: string | Uint8Array | undefined) => Record<string, string>;

/** A tiny JSON client for tests: never throws on a 4xx/5xx, so tests can assert on them. */
export class HttpClient {
  constructor(
    private readonly baseUrl: string,
    private readonly authorize?: Authorize,
  ) {}

  get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    return this.send<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    return this.send<T>('POST', path, body === undefined ? undefined : JSON.stringify(body), headers);
  }

  /** Sends a body exactly as given (text or bytes), for malformed-input tests. */
  async send<T = unknown>(method: string, path: string, rawBody?: string | Uint8Array, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const url = new URL(`${this.baseUrl}${path}`);
    // Per try: a caller token is good for one request.
    const request = () =>
      fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...this.authorize?.(method, url, rawBody), ...headers },
        body: rawBody,
        signal: AbortSignal.timeout(15000),
      });
    let response: Response;
    try {
      response = await request();
    } catch (error) {
      // Usually a pooled keep-alive connection the server closed just then. One
      // more try on a fresh connection: orders carry idempotency keys, and a
      // rare duplicate admin request does no harm in a test.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
      response = await request();
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }
}
