import { useSyncExternalStore } from 'react';
import { request, whenTokenRefused } from './api';

/** Who is signed in on this browser: a demo customer's name and bearer token, kept in localStorage. */
export interface Session {
  username: string;
  token: string;
}

const KEY = 'boxoffice.session';
const listeners = new Set<() => void>();
let current: Session | null = read();
/** Whose sign-in the gateway stopped taking (its token expired), until someone signs in again. */
let expired: string | null = null;

// A token the gateway refuses will not be taken again: end the session, so every page asks to sign in
// instead of showing nothing (an empty list of orders) or failing on each request.
whenTokenRefused((token) => {
  if (current?.token !== token) return;
  expired = current.username;
  set(null);
});

function read(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return stored && typeof stored.token === 'string' && typeof stored.username === 'string' ? stored : null;
  } catch {
    return null;
  }
}

function set(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/** A demo customer's token from the gateway (POST /auth/demo-token, on stacks with DEMO_AUTH=true). */
export async function signIn(username: string): Promise<void> {
  const { accessToken } = await request<{ accessToken: string }>('/auth/demo-token', { method: 'POST', body: { username } });
  expired = null;
  set({ username, token: accessToken });
}

export function signOut(): void {
  expired = null;
  set(null);
}

/** The name whose session ended because its token expired, for the sign-in form to say so; null otherwise. */
export function expiredSession(): string | null {
  return expired;
}

const TRACES_KEY = 'boxoffice.traces';

/** How many orders' trace ids a browser keeps: the newest. */
const TRACES_KEPT = 50;

// Earlier versions kept the orders placed from this browser here; "my orders" now comes from the gateway (GET /me/orders).
localStorage.removeItem('boxoffice.orders');

/**
 * The trace id of the POST that placed an order from this browser, for the
 * order page's "trace" link: the browser is the only one that saw it.
 */
export function rememberTrace(orderId: string, traceId: string): void {
  const kept = Object.entries(orderTraces())
    .filter(([id]) => id !== orderId)
    .slice(-(TRACES_KEPT - 1));
  localStorage.setItem(TRACES_KEY, JSON.stringify(Object.fromEntries([...kept, [orderId, traceId]])));
}

/** The trace id of the checkout that placed this order from this browser, if it did. */
export function traceOfOrder(orderId: string): string | null {
  return orderTraces()[orderId] ?? null;
}

function orderTraces(): Record<string, string> {
  try {
    const stored = JSON.parse(localStorage.getItem(TRACES_KEY) ?? '{}') as unknown;
    return stored && typeof stored === 'object' ? (stored as Record<string, string>) : {};
  } catch {
    return {};
  }
}
