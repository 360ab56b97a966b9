import type { MailContent } from '../delivery/delivery.js';
import { formatMoney, type OrderOutcome } from '../order/order-outcome.js';

/** The mail a customer gets about their order: the subject alone says what happened. */
export function orderMail(outcome: OrderOutcome): MailContent {
  if (outcome.kind === 'confirmed') {
    const seats = outcome.seats.map((seat) => seat.seatId).join(', ');
    return {
      subject: `Order confirmed: ${outcome.seats.length} ${outcome.seats.length === 1 ? 'seat' : 'seats'} (${seats}) for show ${outcome.showId}, total ${formatMoney(outcome.total)}`,
      text: [
        'Your order is confirmed.',
        '',
        `Order: ${outcome.orderId}`,
        `Show: ${outcome.showId}`,
        'Seats:',
        ...outcome.seats.map((seat) => `  ${seat.seatId}  ${formatMoney(seat.price)}`),
        `Total: ${formatMoney(outcome.total)}`,
        '',
        'Your tickets are being issued and will be listed with your account.',
      ].join('\n'),
    };
  }
  if (outcome.kind === 'refunded' && outcome.reason === 'show-cancelled') {
    return {
      subject: `Show cancelled: order refunded, ${formatMoney(outcome.amount)} for show ${outcome.showId}`,
      text: [
        'We are sorry: the show was cancelled. Your order is refunded in full: the money goes back to your card, and its tickets are no longer valid.',
        '',
        `Order: ${outcome.orderId}`,
        `Show: ${outcome.showId}`,
        `Seats: ${outcome.seatIds.join(', ')}`,
        `Refunded: ${formatMoney(outcome.amount)}`,
      ].join('\n'),
    };
  }
  if (outcome.kind === 'refunded') {
    return {
      subject: `Order refunded: ${formatMoney(outcome.amount)} for show ${outcome.showId}`,
      text: [
        'Your order is refunded: the money goes back to your card, and its tickets are no longer valid.',
        '',
        `Order: ${outcome.orderId}`,
        `Show: ${outcome.showId}`,
        `Seats: ${outcome.seatIds.join(', ')}`,
        `Refunded: ${formatMoney(outcome.amount)}`,
      ].join('\n'),
    };
  }
  return {
    subject: `Order not completed: ${outcome.reason}`,
    text: [
      'We could not complete your order, and you have not been charged for it.',
      '',
      `Order: ${outcome.orderId}`,
      `Show: ${outcome.showId}`,
      `Reason: ${outcome.reason}`,
    ].join('\n'),
  };
}
