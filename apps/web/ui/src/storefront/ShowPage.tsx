import { useEffect, useMemo, useState } from 'react';
import { formatDate, formatMoney, request, type OrderView, type ShowWithAvailability } from '../app/api';
import { troubleOf, type Trouble } from '../app/problems';
import { navigate } from '../app/router';
import { rememberTrace, useSession } from '../app/session';
import { ErrorBox, Loading } from './parts';
import { SeatMapView } from './SeatMapView';
import { SignInForm } from './SignInPage';
import { useLiveSeats } from './useLiveSeats';

const CONNECTION_LABEL = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', 'not-on-sale': 'seats not on sale yet' } as const;

/** One show: its live seat map; choose seats, sign in, buy. */
export function ShowPage({ showId }: { showId: string }) {
  const session = useSession();
  const [show, setShow] = useState<ShowWithAvailability | null>(null);
  const [loadTrouble, setLoadTrouble] = useState<Trouble | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [buying, setBuying] = useState(false);
  const [buyTrouble, setBuyTrouble] = useState<Trouble | null>(null);
  // One key per choice of seats: a retry after a lost answer places the same order, never a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const live = useLiveSeats(showId, show?.status === 'cancelled' || show?.availability?.status === 'cancelled');
  const cancelled = show?.status === 'cancelled' || show?.availability?.status === 'cancelled' || live.cancelled;

  const load = () => {
    setLoadTrouble(null);
    request<ShowWithAvailability>(`/shows/${showId}`).then(setShow, (error: unknown) => setLoadTrouble(troubleOf(error)));
  };
  useEffect(load, [showId]);

  // A seat someone else took while it was in my choice leaves it (not while my own order is being placed).
  // Of a cancelled show every seat leaves it, and the page says why.
  useEffect(() => {
    if (buying) return;
    const still = [...selected].filter((seatId) => live.states[seatId] === 'free');
    if (still.length === selected.size) return;
    setSelected(new Set(still));
    if (cancelled) return;
    setBuyTrouble({ message: 'Sorry, a seat you had chosen was just taken by someone else; it has been removed from your choice.', retry: false });
  }, [live.states]);

  const total = useMemo(() => {
    if (!show) return null;
    let minor = 0;
    for (const seat of live.seats) {
      if (!selected.has(seat.seatId)) continue;
      minor += show.priceTiers.find((tier) => tier.code === seat.priceTier)?.priceMinor ?? 0;
    }
    return { amountMinor: minor, currency: show.priceTiers[0]?.currency ?? 'EUR' };
  }, [show, live.seats, selected]);

  if (loadTrouble) return <ErrorBox trouble={loadTrouble} onRetry={load} />;
  if (!show) return <Loading />;

  const toggle = (seatId: string) => {
    setBuyTrouble(null);
    setIdempotencyKey(crypto.randomUUID());
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(seatId)) next.delete(seatId);
      else if (next.size < 10) next.add(seatId);
      return next;
    });
  };

  const buy = async () => {
    if (!session) return;
    setBuying(true);
    setBuyTrouble(null);
    try {
      let traceId: string | null = null;
      const order = await request<OrderView>('/orders', {
        onTrace: (id) => (traceId = id),
        method: 'POST',
        token: session.token,
        headers: { 'idempotency-key': idempotencyKey },
        body: { showId, seatIds: [...selected] },
      });
      if (traceId) rememberTrace(order.orderId, traceId);
      navigate(`/orders/${order.orderId}`);
    } catch (error) {
      setBuyTrouble(troubleOf(error));
      setBuying(false);
    }
  };

  return (
    <article className="show-page">
      <header className="page-header">
        <h1>{show.title}</h1>
        <p className="muted">{formatDate(show.startsAt)}</p>
        <p className={`connection connection-${live.connection}`} data-testid="connection">
          seat map: {CONNECTION_LABEL[live.connection]}
        </p>
      </header>
      {cancelled && <p className="notice">This show has been cancelled. Every ticket sold for it is refunded.</p>}
      <div className="show-layout">
        <div>{live.seats.length > 0 ? <SeatMapView seats={live.seats} states={live.states} selected={selected} priceTiers={show.priceTiers} onToggle={toggle} /> : <Loading what="seat map" />}</div>
        <aside className="basket" data-testid="basket">
          <h2>Your seats</h2>
          {selected.size === 0 ? (
            <p className="muted">Choose seats on the map.</p>
          ) : (
            <>
              <ul>
                {[...selected].sort().map((seatId) => (
                  <li key={seatId}>{seatId}</li>
                ))}
              </ul>
              {total && <p className="total">Total {formatMoney(total)}</p>}
            </>
          )}
          {buyTrouble && <ErrorBox trouble={buyTrouble} onRetry={buyTrouble.retry ? () => void buy() : undefined} />}
          {session ? (
            <button type="button" className="primary" disabled={selected.size === 0 || buying || cancelled} onClick={() => void buy()}>
              {buying ? 'Placing your order…' : `Buy ${selected.size || ''} ticket${selected.size === 1 ? '' : 's'}`.replace('  ', ' ')}
            </button>
          ) : (
            <SignInForm prompt="Sign in to buy" />
          )}
        </aside>
      </div>
    </article>
  );
}
