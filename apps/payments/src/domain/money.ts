/** An amount in minor units (cents) with its ISO currency: never floating point. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}
