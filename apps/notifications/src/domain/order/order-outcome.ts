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
      /** The customer asked, or the show was cancelled. */
      reason: 'requested' | 'show-cancelled';
    };

/** `4500 EUR` → `45.00 EUR`, with the currency's own number of decimals (JPY has none). */
export function formatMoney(money: Money): string {
  const digits = minorDigitsOf(money.currency);
  return `${(money.amountMinor / 10 ** digits).toFixed(digits)} ${money.currency}`;
}

/** Building an Intl.NumberFormat is costly (it showed in profiles of a sale), and a currency's digits never change. */
const minorDigits = new Map<string, number>();

function minorDigitsOf(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigits.set(currency, digits);
  }
  return digits;
}
