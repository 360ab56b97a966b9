import { ticketsFor, type ConfirmedOrder } from '../../src/domain/ticket/ticket-issuance.js';
import { verdictFor } from '../../src/domain/ticket/ticket-verdict.js';

const showId = '01960000-0000-7000-8000-000000000002';
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

function order(seatIds: string[]): ConfirmedOrder {
  return { orderId: '01960000-0000-7000-8000-000000000010', customerId: 'customer-1', showId, seats: seatIds.map((seatId) => ({ seatId, price: eur(4500) })) };
}

function counter(): () => string {
  let n = 0;
  return () => `01960000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
}

describe('ticketsFor', () => {
  it('issues exactly one valid ticket per sold seat, each with its own id', () => {
    const result = ticketsFor(order(['A-1-1', 'A-1-2', 'B-2-7']), counter());
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.map((t) => [t.seatId, t.status, t.showId, t.customerId])).toEqual([
      ['A-1-1', 'valid', showId, 'customer-1'],
      ['A-1-2', 'valid', showId, 'customer-1'],
      ['B-2-7', 'valid', showId, 'customer-1'],
    ]);
    expect(new Set(result.value.map((t) => t.ticketId)).size).toBe(3);
    expect(result.value[0].price).toEqual(eur(4500));
  });

  it('refuses an order that names a seat twice, issuing nothing', () => {
    const result = ticketsFor(order(['A-1-1', 'A-1-2', 'A-1-1']), counter());
    expect(!result.ok && result.error.code).toBe('seat-named-twice');
  });

  it('refuses an order without seats', () => {
    const result = ticketsFor(order([]), counter());
    expect(!result.ok && result.error.code).toBe('no-seats');
  });
});

describe('verdictFor', () => {
  const [ticket] = (() => {
    const result = ticketsFor(order(['A-1-1']), counter());
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  })();
  const claimed = { ticketId: ticket.ticketId, showId, seatId: 'A-1-1' };

  it('admits a valid ticket and names it', () => {
    expect(verdictFor(claimed, ticket)).toEqual({ verdict: 'valid', ticket });
  });

  it('reports a voided ticket as void', () => {
    expect(verdictFor(claimed, { ...ticket, status: 'void' })).toMatchObject({ verdict: 'void' });
  });

  it('calls a code invalid when no such ticket is stored, or it is for another seat', () => {
    expect(verdictFor(claimed, undefined)).toEqual({ verdict: 'invalid', reason: 'no such ticket' });
    expect(verdictFor({ ...claimed, seatId: 'A-1-2' }, ticket).verdict).toBe('invalid');
  });
});
