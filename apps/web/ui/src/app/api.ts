// Type-only: the build erases this import, so neither zod nor the schemas reach the browser
// (a value import from @boxoffice/contracts would not even resolve in the Vite build).
import type {
  CustomerOrdersView,
  CustomerTicketView,
  Money,
  OrderDetailsView,
  OrderStatus,
  OrderStep,
  OrderView,
  SeatChangeEvent,
  SeatMapShowEvent,
  SeatMapView,
  SeatState,
  ShowView,
  ShowWithAvailability,
} from '@boxoffice/contracts';

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

/**
 * The answers the pages read: the gateway's own types, inferred from the zod
 * schemas in libs/contracts that validate and document them (imported at the
 * top), so a page and the API cannot drift apart.
 */
export type { CustomerOrdersView, Money, OrderStatus, OrderStep, OrderView, SeatState, ShowWithAvailability };
export type Show = ShowView;
export type PriceTier = ShowView['priceTiers'][number];
export type SeatMap = SeatMapView;
export type Seat = SeatMapView['seats'][number];
export type SeatChange = SeatChangeEvent;
export type SeatMapShow = SeatMapShowEvent;
/** An order as `GET /orders/:id` and `GET /me/orders` answer it: with `placedAt` and the saga steps it passed. */
export type Order = OrderDetailsView;
export type Ticket = CustomerTicketView;

export function formatMoney(money: Money | { priceMinor: number; currency: string }): string {
  const minor = 'amountMinor' in money ? money.amountMinor : money.priceMinor;
  return new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(minor / 100);
}

/** A time in the browser's time zone (or `timeZone`), named, so a time entered in UTC (the console's form) reads unambiguously. */
export function formatDate(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}
