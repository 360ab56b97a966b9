import { decide, evolve, initialState, type ShowSeatsCommand, type ShowSeatsEvent, type ShowSeatsState } from '../../src/domain/seat/show-seats.decider.js';
import type { SeatState } from '../../src/domain/seat/seat.js';

const showId = '01960000-0000-7000-8000-000000000002';
const me = 'order-me';
const other = 'order-other';
const now = new Date('2026-03-01T20:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const tiers = [
  { code: 'STD', priceMinor: 4550, currency: 'EUR' },
  { code: 'VIP', priceMinor: 9900, currency: 'EUR' },
];

const free = (seatId: string, priceTier = 'STD'): SeatState => ({ seatId, priceTier, status: 'free', orderId: null, heldUntil: null });
const held = (seatId: string, orderId: string, heldUntil = later(60)): SeatState => ({ seatId, priceTier: 'STD', status: 'held', orderId, heldUntil });
const sold = (seatId: string, orderId: string): SeatState => ({ seatId, priceTier: 'STD', status: 'sold', orderId, heldUntil: null });

/** A published show on sale, with the given seats in the state (the slice a command was decided on). */
function onSale(seats: SeatState[], facts: Partial<ShowSeatsState> = {}): ShowSeatsState {
  return { showId, published: true, cancelled: false, priceTiers: tiers, now, seats, ...facts };
}

const published = (seatId: string, section = 'A') => ({ seatId, section, row: '1', number: Number(seatId.split('-')[2] ?? 1), priceTier: 'STD' });

describe('opening a show', () => {
  it('puts every published seat on sale, free, with its prices', () => {
    const { events, outcome } = decide({ type: 'open-show', seats: [published('A-1-1'), published('A-1-2')], priceTiers: tiers }, initialState(showId, now));
    expect(outcome).toEqual({ kind: 'opened' });
    expect(events).toEqual([
      {
        type: 'show-opened',
        priceTiers: tiers,
        seats: [
          { showId, seatId: 'A-1-1', section: 'A', row: '1', number: 1, priceTier: 'STD', status: 'free' },
          { showId, seatId: 'A-1-2', section: 'A', row: '1', number: 2, priceTier: 'STD', status: 'free' },
        ],
      },
    ]);
    const after = events.reduce(evolve, initialState(showId, now));
    expect(after).toMatchObject({ published: true, cancelled: false, priceTiers: tiers, seats: [free('A-1-1'), free('A-1-2')] });
  });

  it('opens a show once: a second publication changes nothing', () => {
    expect(decide({ type: 'open-show', seats: [published('A-1-1')], priceTiers: tiers }, onSale([]))).toEqual({
      events: [],
      outcome: { kind: 'refused', reason: 'already-open', message: expect.any(String) },
    });
  });

  it('never opens a show whose cancellation arrived first', () => {
    const cancelledFirst = decide({ type: 'stop-sales' }, initialState(showId, now)).events.reduce(evolve, initialState(showId, now));
    expect(cancelledFirst).toMatchObject({ published: false, cancelled: true });
    expect(decide({ type: 'open-show', seats: [published('A-1-1')], priceTiers: tiers }, cancelledFirst)).toEqual({
      events: [],
      outcome: { kind: 'refused', reason: 'show-cancelled', message: expect.any(String) },
    });
  });

  it('refuses a map that names a seat twice, or no seat', () => {
    for (const seats of [[published('A-1-1'), published('A-1-1')], []]) {
      const { events, outcome } = decide({ type: 'open-show', seats, priceTiers: tiers }, initialState(showId, now));
      expect(events).toEqual([]);
      expect(outcome).toMatchObject({ kind: 'refused', reason: 'invalid-seat-map' });
    }
  });
});

describe('holding seats', () => {
  const hold = (seatIds: string[], orderId = me) => ({ type: 'hold-seats', orderId, seatIds, holdSeconds: 90 }) as const;

  it('holds free seats for the hold time by the shard clock, and prices them', () => {
    const { events, outcome } = decide(hold(['A-1-1', 'A-1-2']), onSale([free('A-1-1'), free('A-1-2', 'VIP')]));
    expect(events).toEqual([{ type: 'seats-held', orderId: me, seatIds: ['A-1-1', 'A-1-2'], until: later(90) }]);
    expect(outcome).toEqual({
      kind: 'held',
      seats: [
        { seatId: 'A-1-1', price: { amountMinor: 4550, currency: 'EUR' } },
        { seatId: 'A-1-2', price: { amountMinor: 9900, currency: 'EUR' } },
      ],
      total: { amountMinor: 14450, currency: 'EUR' },
    });
    expect(events.reduce(evolve, onSale([free('A-1-1'), free('A-1-2', 'VIP')])).seats).toEqual([held('A-1-1', me, later(90)), { ...held('A-1-2', me, later(90)), priceTier: 'VIP' }]);
  });

  it('is all or nothing: one taken seat refuses the whole request', () => {
    expect(decide(hold(['A-1-1', 'A-1-2']), onSale([free('A-1-1'), held('A-1-2', other)]))).toEqual({
      events: [],
      outcome: { kind: 'refused', reason: 'seats-unavailable', seatIds: ['A-1-2'] },
    });
    expect(decide(hold(['A-1-1']), onSale([sold('A-1-1', other)]))).toEqual({ events: [], outcome: { kind: 'refused', reason: 'seats-unavailable', seatIds: ['A-1-1'] } });
  });

  it('refuses seats the show does not have', () => {
    expect(decide(hold(['A-1-1', 'Z-9-9']), onSale([free('A-1-1')]))).toEqual({ events: [], outcome: { kind: 'refused', reason: 'unknown-seats', seatIds: ['Z-9-9'] } });
  });

  it('refuses while the show is not on sale: not published yet, or cancelled', () => {
    for (const state of [initialState(showId, now), onSale([free('A-1-1')], { cancelled: true })]) {
      expect(decide(hold(['A-1-1']), state)).toEqual({ events: [], outcome: { kind: 'refused', reason: 'show-not-on-sale', seatIds: ['A-1-1'] } });
    }
  });

  it('answers a repeated command again without holding anything twice, and holds only what is new', () => {
    const again = decide(hold(['A-1-1']), onSale([held('A-1-1', me)]));
    expect(again.events).toEqual([]);
    expect(again.outcome).toMatchObject({ kind: 'held', seats: [{ seatId: 'A-1-1' }] });
    expect(decide(hold(['A-1-1', 'A-1-2']), onSale([held('A-1-1', me), free('A-1-2')])).events).toEqual([
      { type: 'seats-held', orderId: me, seatIds: ['A-1-2'], until: later(90) },
    ]);
  });

  it('counts a seat named twice in one request once', () => {
    const { events, outcome } = decide(hold(['A-1-1', 'A-1-1']), onSale([free('A-1-1')]));
    expect(events).toEqual([{ type: 'seats-held', orderId: me, seatIds: ['A-1-1'], until: later(90) }]);
    expect(outcome).toMatchObject({ kind: 'held', total: { amountMinor: 4550 } });
  });
});

describe('selling seats (the saga confirms)', () => {
  const sell = { type: 'sell-seats', orderId: me } as const;

  it('sells what the order holds', () => {
    const state = onSale([held('A-1-1', me), held('A-1-2', me)]);
    const { events, outcome } = decide(sell, state);
    expect(events).toEqual([{ type: 'seats-sold', orderId: me, seatIds: ['A-1-1', 'A-1-2'] }]);
    expect(outcome).toEqual({ kind: 'sold', seatIds: ['A-1-1', 'A-1-2'] });
    expect(events.reduce(evolve, state).seats).toEqual([sold('A-1-1', me), sold('A-1-2', me)]);
  });

  it('sells nothing new when repeated, and answers again', () => {
    expect(decide(sell, onSale([sold('A-1-1', me)]))).toEqual({ events: [], outcome: { kind: 'sold', seatIds: ['A-1-1'] } });
  });

  it('refuses when the order holds nothing any more: its hold ran out', () => {
    expect(decide(sell, onSale([]))).toEqual({ events: [], outcome: { kind: 'refused', reason: 'hold-expired' } });
  });

  it('sells a hold past its end that the sweep has not freed yet: the seat is still the order\'s', () => {
    expect(decide(sell, onSale([held('A-1-1', me, later(-5))])).outcome).toEqual({ kind: 'sold', seatIds: ['A-1-1'] });
  });

  it('sells nothing once the show is cancelled, but still answers a sale made before', () => {
    expect(decide(sell, onSale([held('A-1-1', me)], { cancelled: true }))).toEqual({ events: [], outcome: { kind: 'refused', reason: 'show-cancelled' } });
    expect(decide(sell, onSale([sold('A-1-1', me)], { cancelled: true }))).toEqual({ events: [], outcome: { kind: 'sold', seatIds: ['A-1-1'] } });
  });
});

describe('releasing a hold (the saga gives up)', () => {
  const release = { type: 'release-seats', orderId: me } as const;

  it('frees held seats and never sold ones', () => {
    const state = onSale([held('A-1-1', me), sold('A-1-2', me)]);
    const { events, outcome } = decide(release, state);
    expect(events).toEqual([{ type: 'hold-released', orderId: me, seatIds: ['A-1-1'] }]);
    expect(outcome).toEqual({ kind: 'released', seatIds: ['A-1-1'], showCancelled: false });
    expect(events.reduce(evolve, state).seats).toEqual([free('A-1-1'), sold('A-1-2', me)]);
  });

  it('frees a hold of a cancelled show, and says the show is cancelled: its seats are not for sale again', () => {
    const state = onSale([held('A-1-1', me)], { cancelled: true });
    const { events, outcome } = decide(release, state);
    expect(events).toEqual([{ type: 'hold-released', orderId: me, seatIds: ['A-1-1'] }]);
    expect(outcome).toEqual({ kind: 'released', seatIds: ['A-1-1'], showCancelled: true });
    expect(decide({ type: 'hold-seats', orderId: other, seatIds: ['A-1-1'], holdSeconds: 60 }, events.reduce(evolve, state)).outcome).toMatchObject({ kind: 'refused', reason: 'show-not-on-sale' });
  });

  it('answers with nothing freed when nothing is held', () => {
    expect(decide(release, onSale([]))).toEqual({ events: [], outcome: { kind: 'released', seatIds: [], showCancelled: false } });
  });
});

describe('holds running out', () => {
  it('frees holds whose end has passed by the shard clock, telling each order once', () => {
    const state = onSale([held('A-1-1', me, later(-1)), held('A-1-2', other, later(-30)), held('A-1-3', me, later(-2)), held('A-1-4', other, later(10))]);
    const { events, outcome } = decide({ type: 'expire-holds' }, state);
    expect(events).toEqual([
      { type: 'hold-expired', orderId: me, seatIds: ['A-1-1', 'A-1-3'] },
      { type: 'hold-expired', orderId: other, seatIds: ['A-1-2'] },
    ]);
    expect(outcome).toEqual({
      kind: 'expired',
      holds: [
        { orderId: me, seatIds: ['A-1-1', 'A-1-3'] },
        { orderId: other, seatIds: ['A-1-2'] },
      ],
      showCancelled: false,
    });
    expect(events.reduce(evolve, state).seats).toEqual([free('A-1-1'), free('A-1-2'), free('A-1-3'), held('A-1-4', other, later(10))]);
  });

  it('says when the holds that ran out belong to a cancelled show: their seats are not for sale again', () => {
    const { outcome } = decide({ type: 'expire-holds' }, onSale([held('A-1-1', me, later(-1))], { cancelled: true }));
    expect(outcome).toEqual({ kind: 'expired', holds: [{ orderId: me, seatIds: ['A-1-1'] }], showCancelled: true });
  });

  it('leaves a hold alone until its end has passed, and never touches a sale', () => {
    expect(decide({ type: 'expire-holds' }, onSale([held('A-1-1', me, now), sold('A-1-2', me)]))).toEqual({ events: [], outcome: { kind: 'expired', holds: [], showCancelled: false } });
  });
});

describe('putting a refunded order\'s seats back on sale', () => {
  const refund = { type: 'put-back-on-sale', orderId: me } as const;

  it('frees the seats the order bought', () => {
    const state = onSale([sold('A-1-1', me), sold('A-1-2', me)]);
    const { events, outcome } = decide(refund, state);
    expect(events).toEqual([{ type: 'seats-put-back-on-sale', orderId: me, seatIds: ['A-1-1', 'A-1-2'] }]);
    expect(outcome).toEqual({ kind: 'back-on-sale', seatIds: ['A-1-1', 'A-1-2'] });
    expect(events.reduce(evolve, state).seats).toEqual([free('A-1-1'), free('A-1-2')]);
  });

  it("finds nothing to do when the refund is repeated (the seats are no longer the order's)", () => {
    expect(decide(refund, onSale([]))).toEqual({ events: [], outcome: { kind: 'back-on-sale', seatIds: [] } });
  });

  it('leaves a seat the order only holds to the hold rules', () => {
    expect(decide(refund, onSale([held('A-1-1', me)])).events).toEqual([]);
  });
});

describe('stopping sales (the show is cancelled)', () => {
  it('stops the show and names each order that bought seats once, with its seats, ignoring holds', () => {
    const state = onSale([sold('A-1-1', other), held('A-1-2', me), sold('A-1-3', other), sold('B-1-1', me)]);
    const { events, outcome } = decide({ type: 'stop-sales' }, state);
    expect(events).toEqual([{ type: 'sales-stopped' }]);
    expect(outcome).toEqual({
      kind: 'stopped',
      salesCalledOff: [
        { orderId: me, seatIds: ['B-1-1'] },
        { orderId: other, seatIds: ['A-1-1', 'A-1-3'] },
      ],
    });
    expect(events.reduce(evolve, state).cancelled).toBe(true);
  });

  it('stops a show without sales, also one not published yet', () => {
    expect(decide({ type: 'stop-sales' }, initialState(showId, now))).toEqual({ events: [{ type: 'sales-stopped' }], outcome: { kind: 'stopped', salesCalledOff: [] } });
  });

  it('changes nothing, and names nobody again, when the show is already stopped', () => {
    expect(decide({ type: 'stop-sales' }, onSale([sold('A-1-1', other)], { cancelled: true }))).toEqual({ events: [], outcome: { kind: 'already-stopped' } });
  });
});

describe('evolve', () => {
  const cases: [string, ShowSeatsState, ShowSeatsEvent][] = [
    ['holds a seat that is not free', onSale([held('A-1-1', other)]), { type: 'seats-held', orderId: me, seatIds: ['A-1-1'], until: later(60) }],
    ['holds a seat outside the state', onSale([]), { type: 'seats-held', orderId: me, seatIds: ['A-1-1'], until: later(60) }],
    ['sells a seat another order holds', onSale([held('A-1-1', other)]), { type: 'seats-sold', orderId: me, seatIds: ['A-1-1'] }],
    ['sells a free seat', onSale([free('A-1-1')]), { type: 'seats-sold', orderId: me, seatIds: ['A-1-1'] }],
    ['releases a sold seat', onSale([sold('A-1-1', me)]), { type: 'hold-released', orderId: me, seatIds: ['A-1-1'] }],
    ['expires a hold that has not ended', onSale([held('A-1-1', me, later(5))]), { type: 'hold-expired', orderId: me, seatIds: ['A-1-1'] }],
    ['puts back a seat another order bought', onSale([sold('A-1-1', other)]), { type: 'seats-put-back-on-sale', orderId: me, seatIds: ['A-1-1'] }],
    ['opens a show already open', onSale([]), { type: 'show-opened', seats: [], priceTiers: tiers }],
    ['stops a show already stopped', onSale([], { cancelled: true }), { type: 'sales-stopped' }],
  ];

  it.each(cases)('refuses an event that breaks its precondition: %s', (_, state, event) => {
    expect(() => evolve(state, event)).toThrow(/needs/);
  });
});

/**
 * The headline rule, over many interleavings: orders hold, confirm, release
 * and get refunded in random order while holds run out and the show may be
 * cancelled. Every decision must be one `evolve` accepts (so the adapter's
 * guarded writes never fail), no seat is ever held or sold by two orders
 * (a seat has one owner by construction; what could go wrong is a decision
 * that takes a seat from its owner), and an order told its seats are held
 * or sold has them.
 */
describe('no seat is ever taken from its owner', () => {
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('in random sale %i', (seed) => {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const seatIds = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5'];
    const orders = ['o1', 'o2', 'o3', 'o4'];
    let state = decide({ type: 'open-show', seats: seatIds.map((id) => published(id)), priceTiers: tiers }, initialState(showId, now)).events.reduce(evolve, initialState(showId, now));
    const paid = new Map<string, string>();
    for (let step = 0; step < 300; step++) {
      state = { ...state, now: new Date(state.now.getTime() + 1000) };
      const orderId = pick(orders);
      const command: ShowSeatsCommand = pick<ShowSeatsCommand>([
        { type: 'hold-seats', orderId, seatIds: [pick(seatIds), pick(seatIds)], holdSeconds: 1 + Math.floor(next() * 5) },
        { type: 'hold-seats', orderId, seatIds: [pick(seatIds)], holdSeconds: 3 },
        { type: 'sell-seats', orderId },
        { type: 'release-seats', orderId },
        { type: 'put-back-on-sale', orderId },
        { type: 'expire-holds' },
        ...(step > 250 ? [{ type: 'stop-sales' } as const] : []),
      ]);
      const before = state;
      // The decider sees every seat here: a slice is only a smaller state.
      const { events, outcome } = decide(command as never, state) as { events: readonly ShowSeatsEvent[]; outcome: { kind: string; seatIds?: string[] } };
      state = events.reduce(evolve, state);
      const owner = (seatId: string) => state.seats.find((s) => s.seatId === seatId) as SeatState;
      // What the sender is told is what happened.
      if (command.type === 'hold-seats' && outcome.kind === 'held') for (const id of command.seatIds) expect(owner(id).orderId).toBe(command.orderId);
      if (command.type === 'sell-seats' && outcome.kind === 'sold') for (const id of outcome.seatIds ?? []) expect(owner(id)).toMatchObject({ status: 'sold', orderId: command.orderId });
      for (const seat of state.seats) {
        const was = before.seats.find((s) => s.seatId === seat.seatId) as SeatState;
        // An owned seat changes hands only through free.
        if (was.orderId !== null && seat.orderId !== null) expect(seat.orderId).toBe(was.orderId);
        if (seat.status === 'sold') paid.set(seat.seatId, seat.orderId as string);
        if (was.status === 'sold' && seat.status !== 'sold') expect(command).toEqual({ type: 'put-back-on-sale', orderId: was.orderId });
        if (before.cancelled) expect(seat.status === 'sold' && was.status !== 'sold').toBe(false);
      }
    }
    expect(paid.size).toBeGreaterThan(0);
  });
});
