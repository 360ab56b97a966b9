/** One reader's interest in one order settling (see OrderSettlements). */
export interface SettlementWatch {
  /**
   * Resolves when the order may have settled since the last call (or since
   * the watch began), or after `millis` at the latest. False once no waiting
   * is possible any more (the service is stopping): answer with what there is.
   */
  next(millis: number): Promise<boolean>;
  close(): void;
}

/**
 * Tells readers that an order may have settled, so that a client can wait for
 * the outcome in one request instead of polling. A hint, never the answer:
 * the reader reads the order again after every signal.
 */
export abstract class OrderSettlements {
  /** Start watching before reading the order, so a settlement in between is not missed. */
  abstract watch(orderId: string): SettlementWatch;
}
