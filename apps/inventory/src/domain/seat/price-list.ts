export interface Money {
  amountMinor: number;
  currency: string;
}

export interface PriceTier {
  code: string;
  priceMinor: number;
  currency: string;
}

/** Prices of the show's tiers, as catalog published them. */
export class PriceList {
  private readonly byTier: Map<string, PriceTier>;

  constructor(tiers: PriceTier[]) {
    this.byTier = new Map(tiers.map((t) => [t.code, t]));
  }

  priceOf(tier: string): Money {
    const found = this.byTier.get(tier);
    // Catalog refuses to publish a show with an unpriced tier, so this is a bug, not a business outcome.
    if (!found) throw new Error(`no price for tier ${tier}`);
    return { amountMinor: found.priceMinor, currency: found.currency };
  }

  total(tiers: string[]): Money {
    const prices = tiers.map((tier) => this.priceOf(tier));
    return { amountMinor: prices.reduce((sum, p) => sum + p.amountMinor, 0), currency: prices[0]?.currency ?? 'EUR' };
  }
}
