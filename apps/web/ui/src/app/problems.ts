import { ApiError } from './api';

/** What went wrong, in the words a buyer expects, and whether trying again may help. */
export interface Trouble {
  message: string;
  retry: boolean;
}

export function troubleOf(error: unknown): Trouble {
  if (!(error instanceof ApiError)) return { message: 'Something went wrong. Please try again.', retry: true };
  const { status, code, detail } = error.problem;
  if (status === 503 || status === 502 || status === 504) {
    const wait = error.retryAfterSeconds ? ` Try again in ${error.retryAfterSeconds} s.` : ' Please try again in a moment.';
    return { message: `The box office is unavailable right now.${wait}`, retry: true };
  }
  if (status === 401) return { message: 'Please sign in again.', retry: false };
  if (status === 404) return { message: 'Not found: it may have been removed.', retry: false };
  if (status === 409 && code === 'order-not-refundable') return { message: 'This order cannot be refunded in its current state.', retry: false };
  return { message: detail ?? error.problem.title, retry: status >= 500 };
}

/** Why an order was rejected (its `rejectionReason`), as the buyer should read it. */
export function rejectionMessage(reason: string | null): string {
  if (!reason) return 'The order was not completed.';
  if (reason === 'seats-unavailable') return 'Sorry, a seat you chose was just taken by someone else. Pick other seats and try again.';
  if (reason === 'unknown-seats') return 'One of the seats does not exist for this show.';
  if (reason === 'show-not-on-sale' || reason === 'show-cancelled') return 'This show is not on sale any more.';
  if (reason.startsWith('payment-declined')) return `Your payment was declined (${reason.slice('payment-declined: '.length) || 'no reason given'}). No money was taken and the seats were released.`;
  if (reason === 'hold-expired' || reason === 'seat-hold-expired' || reason === 'seat-hold-timeout') return 'Your seats were held too long and were released. Please try again.';
  return `The order was rejected: ${reason}.`;
}
