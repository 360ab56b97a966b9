import { randomUUID } from 'node:crypto';
import { eventually } from './eventually.js';
import { HttpClient, type HttpResult } from './http-client.js';

export interface SectionSpec {
  code: string;
  rows: number;
  seatsPerRow: number;
  priceTier: string;
}

export interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  settled: boolean;
  rejectionReason: string | null;
  seatIds: string[];
  total: { amountMinor: number; currency: string } | null;
}

/** The public API as a test (or a benchmark) uses it: through the gateway, with demo tokens. */
export class BoxofficeApi {
  readonly http: HttpClient;
  private readonly tokens = new Map<string, string>();

  constructor(gatewayUrl: string) {
    this.http = new HttpClient(gatewayUrl);
  }

  async authHeaders(username: string): Promise<Record<string, string>> {
    let token = this.tokens.get(username);
    if (!token) {
      const response = await this.http.post<{ accessToken: string }>('/auth/demo-token', { username });
      if (response.status !== 200) throw new Error(`demo token for ${username}: ${response.status} ${JSON.stringify(response.body)}`);
      token = response.body.accessToken;
      this.tokens.set(username, token);
    }
    return { authorization: `Bearer ${token}` };
  }

  /** Registers a venue, schedules a show there and publishes it; returns the show id and its seat ids. */
  async publishShow(title: string, sections: SectionSpec[], prices: Record<string, number> = {}): Promise<{ showId: string; seatIds: string[] }> {
    const admin = await this.authHeaders('admin');
    const venue = await this.http.post<{ id: string }>('/admin/venues', { name: `${title} hall`, sections }, admin);
    if (venue.status !== 201) throw new Error(`register venue: ${venue.status} ${JSON.stringify(venue.body)}`);
    const tiers = [...new Set(sections.map((s) => s.priceTier))];
    const show = await this.http.post<{ id: string }>(
      '/admin/shows',
      {
        venueId: venue.body.id,
        title,
        startsAt: '2027-03-01T20:00:00+01:00',
        priceTiers: tiers.map((code) => ({ code, priceMinor: prices[code] ?? 5000, currency: 'EUR' })),
      },
      admin,
    );
    if (show.status !== 201) throw new Error(`schedule show: ${show.status} ${JSON.stringify(show.body)}`);
    const published = await this.http.post(`/admin/shows/${show.body.id}/publish`, undefined, admin);
    if (published.status !== 200) throw new Error(`publish show: ${published.status} ${JSON.stringify(published.body)}`);
    const seatIds = sections.flatMap((s) =>
      Array.from({ length: s.rows }, (_, r) => Array.from({ length: s.seatsPerRow }, (_, n) => `${s.code}-${r + 1}-${n + 1}`)).flat(),
    );
    return { showId: show.body.id, seatIds };
  }

  /** Waits until inventory has put the show's seats on sale. */
  async waitUntilOnSale(showId: string): Promise<void> {
    await eventually(async () => {
      const show = await this.http.get<{ availability: unknown }>(`/shows/${showId}`);
      if (show.status !== 200 || !show.body.availability) throw new Error(`show ${showId} not on sale yet`);
    });
  }

  /** Places an order; with `waitSeconds`, the answer waits that long for the order to settle (`Prefer: wait`). */
  async placeOrder(
    username: string,
    body: { showId: string; seatIds: string[]; callbackUrl?: string },
    idempotencyKey: string = randomUUID(),
    { waitSeconds }: { waitSeconds?: number } = {},
  ): Promise<HttpResult<OrderView>> {
    return this.http.post<OrderView>('/orders', body, { ...(await this.authHeaders(username)), 'idempotency-key': idempotencyKey, ...preferWait(waitSeconds) });
  }

  /**
   * Places an order as a client must: a 503 with Retry-After (the order's shard could not confirm the write
   * within its bound, docs/cap.md) is sent again after that long with the same Idempotency-Key, which places the
   * order once. For tests that race many buyers at once on a busy machine, where what is tested is who gets
   * the seats, not that every write committed within its bound. Gives up after a few refusals.
   */
  async placeOrderAsAClient(username: string, body: { showId: string; seatIds: string[] }, idempotencyKey: string = randomUUID()): Promise<HttpResult<OrderView>> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.placeOrder(username, body, idempotencyKey);
      if (response.status !== 503 || attempt === 5) return response;
      const retryAfterSeconds = Number(response.headers.get('retry-after')) || 1;
      await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
    }
  }

  /** The order; with `waitSeconds`, as soon as it is settled or after that long (`Prefer: wait`). */
  async order(username: string, orderId: string, { waitSeconds }: { waitSeconds?: number } = {}): Promise<HttpResult<OrderView>> {
    return this.http.get<OrderView>(`/orders/${orderId}`, { ...(await this.authHeaders(username)), ...preferWait(waitSeconds) });
  }

  /** Waits until the saga settled the order (confirmed or rejected), a long poll at a time. */
  async settledOrder(username: string, orderId: string, timeoutMs = 60000): Promise<OrderView> {
    return eventually(
      async () => {
        const response = await this.order(username, orderId, { waitSeconds: 5 });
        if (response.status !== 200 || !response.body.settled) throw new Error(`order ${orderId} not settled: ${JSON.stringify(response.body)}`);
        return response.body;
      },
      { timeoutMs, intervalMs: 200 },
    );
  }
}

/** The `Prefer: wait=N` header (RFC 7240), or none. */
function preferWait(waitSeconds: number | undefined): Record<string, string> {
  return waitSeconds === undefined ? {} : { prefer: `wait=${waitSeconds}` };
}
