export interface Money {
  amountMinor: number;
  currency: string;
}

/** How an order ended (or, for a refund, was undone), as far as telling the customer goes. */
export type OrderOutcome =
  | {
      kind: 'confirmed';
      orderId: string;
      customerEmail: string;
      showId: string;
      seats: { seatId: string; price: Money }[];
      total: Money;
      callbackUrl: string | null;
    }
  | {
      kind: 'rejected';
      orderId: string;
      customerEmail: string;
      showId: string;
      reason: string;
      callbackUrl: string | null;
    }
  | {
      kind: 'refunded';
      orderId: string;
      customerEmail: string;
      showId: string;
      seatIds: string[];
      amount: Money;
      callbackUrl: string | null;
    };

/** `4500 EUR` → `45.00 EUR`, with the currency's own number of decimals (JPY has none). */
export function formatMoney(money: Money): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(money.amountMinor / 10 ** digits).toFixed(digits)} ${money.currency}`;
}
