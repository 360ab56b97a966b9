/**
 * The gateway's REST API as the pages use it. Every error is the gateway's
 * application/problem+json, carried as an ApiError; a request that never got
 * an answer is a 503-like ApiError too, so the pages handle one kind.
 */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code?: string;
  detail?: string;
}

export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
  }

  get status(): number {
    return this.problem.status;
  }
}

/** What differs per deployment: /config.json, written by the web app's server from its settings. */
export interface WebConfig {
  /** The gateway (API_URL). */
  apiUrl: string;
  /** The trace UI (TRACES_URL), a Jaeger whose `/trace/<trace id>` shows one trace; absent when there is none. */
  tracesUrl?: string;
}

let config: Promise<WebConfig> | undefined;

export function webConfig(): Promise<WebConfig> {
  config ??= fetch('/config.json')
    .then((response) => response.json() as Promise<WebConfig>)
    .catch((error: unknown) => {
      config = undefined;
      throw error;
    });
  return config;
}

/** Where the API is. */
export async function apiBaseUrl(): Promise<string> {
  return (await webConfig()).apiUrl;
}

/** The trace id of a W3C `traceresponse` header (`00-<trace id>-<span id>-<flags>`), or null. */
export function traceIdOf(traceresponse: string | null): string | null {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceresponse?.trim() ?? '')?.[1] ?? null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Told the trace id of the answer (its `traceresponse` header), when it has one. */
  onTrace?: (traceId: string) => void;
}

let tokenRefused: ((token: string) => void) | undefined;

/** Told of every token the gateway refused (a 401): expired, or signed with a secret it no longer takes. */
export function whenTokenRefused(listener: (token: string) => void): void {
  tokenRefused = listener;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${await apiBaseUrl()}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ title: 'Service unavailable', status: 503, code: 'unreachable', detail: 'the box office could not be reached' });
  }
  const traceId = traceIdOf(response.headers.get('traceresponse'));
  if (traceId) options.onTrace?.(traceId);
  const text = await response.text();
  const body: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && options.token) tokenRefused?.(options.token);
    const problem = (body && typeof body === 'object' ? body : { title: response.statusText || 'Error', status: response.status }) as Problem;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError({ ...problem, status: response.status }, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The answers the pages read, as the gateway documents them (libs/contracts). */
export interface PriceTier {
  code: string;
  priceMinor: number;
  currency: string;
}

export interface Show {
  id: string;
  venueId: string;
  title: string;
  startsAt: string;
  priceTiers: PriceTier[];
  status: 'draft' | 'published' | 'cancelled';
}

export interface SeatCounts {
  total: number;
  free: number;
  held: number;
  sold: number;
  withdrawn: number;
}

export interface ShowWithAvailability extends Show {
  availability: { status: 'on-sale' | 'cancelled'; seats: SeatCounts } | null;
}

export interface Seat {
  seatId: string;
  section: string;
  row: string;
  number: number;
  priceTier: string;
  available: boolean;
}

export interface SeatMap {
  showId: string;
  seats: Seat[];
}

export type SeatState = 'free' | 'held' | 'sold' | 'withdrawn';

export interface SeatChange {
  showId: string;
  seatIds: string[];
  state: SeatState;
}

export interface Money {
  amountMinor: number;
  currency: string;
}

export type OrderStatus =
  | 'holding-seats'
  | 'authorizing-payment'
  | 'confirming-seats'
  | 'capturing-payment'
  | 'voiding-payment'
  | 'releasing-seats'
  | 'confirmed'
  | 'rejected'
  | 'refunding'
  | 'refunded';

export interface Order {
  orderId: string;
  customerId: string;
  showId: string;
  seatIds: string[];
  status: OrderStatus;
  settled: boolean;
  rejectionReason: string | null;
  seats: { seatId: string; price: Money }[];
  total: Money | null;
}

export interface Ticket {
  ticketId: string;
  orderId: string;
  showId: string;
  seatId: string;
  code: string;
}

export function formatMoney(money: Money | { priceMinor: number; currency: string }): string {
  const minor = 'amountMinor' in money ? money.amountMinor : money.priceMinor;
  return new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(minor / 100);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}
