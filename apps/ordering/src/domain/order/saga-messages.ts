/*
 * What the checkout saga says to and hears from the other contexts, in the
 * domain's own words. The infrastructure maps these to the Kafka contracts.
 */

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface PricedSeat {
  seatId: string;
  price: Money;
}

export type SagaCommand =
  | { to: 'inventory'; command: 'hold'; seatIds: string[]; holdSeconds: number }
  | { to: 'inventory'; command: 'confirm' }
  | { to: 'inventory'; command: 'release' }
  | { to: 'payments'; command: 'authorize'; amount: Money }
  | { to: 'payments'; command: 'capture' }
  | { to: 'payments'; command: 'void' }
  | { to: 'payments'; command: 'refund' };

export type SeatReply =
  | { outcome: 'held'; seats: PricedSeat[]; total: Money }
  | { outcome: 'hold-rejected'; reason: string; seatIds: string[] }
  | { outcome: 'confirmed'; seatIds: string[] }
  | { outcome: 'confirm-rejected'; reason: string }
  | { outcome: 'released'; seatIds: string[]; expired: boolean }
  | { outcome: 'sale-cancelled'; seatIds: string[] };

export type PaymentReply =
  | { outcome: 'authorized'; paymentId: string; amount: Money }
  | { outcome: 'declined'; reason: string }
  | { outcome: 'captured'; paymentId: string; amount: Money }
  | { outcome: 'voided'; paymentId: string | null }
  | { outcome: 'refunded'; paymentId: string; amount: Money }
  | { outcome: 'rejected'; reason: string };
