import { useEffect, useState } from 'react';
import { formatMoney, request, type Order, type Ticket } from '../app/api';
import { rejectionMessage, troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { ordersPlacedHere, useSession, type Session } from '../app/session';
import { ErrorBox, Loading } from './parts';
import { SignInForm } from './SignInPage';
import { TicketCard, useMyTickets } from './tickets';

const STATUS_LABEL: Partial<Record<Order['status'], string>> = { confirmed: 'confirmed', rejected: 'rejected', refunding: 'refunding…', refunded: 'refunded' };

/**
 * My orders and tickets: every order that has tickets (GET /me/tickets) and
 * every order placed from this browser, each read from the gateway, newest
 * first; the tickets of each with their QR codes; a refund for a confirmed one.
 */
export function AccountPage() {
  const session = useSession();
  if (!session) {
    return (
      <article className="narrow">
        <h1>My orders and tickets</h1>
        <SignInForm prompt="Sign in to see your orders and tickets" />
      </article>
    );
  }
  return <Orders session={session} />;
}

function Orders({ session }: { session: Session }) {
  const tickets = useMyTickets(session.token);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [version, setVersion] = useState(0);

  const ticketOrders = [...new Set(tickets.map((ticket) => ticket.orderId))].join(',');
  useEffect(() => {
    let stopped = false;
    const ids = [...new Set([...ordersPlacedHere(session.username), ...ticketOrders.split(',').filter(Boolean)])];
    Promise.all(ids.map((id) => request<Order>(`/orders/${id}`, { token: session.token }).catch((error: unknown) => (error instanceof Error && 'status' in error && error.status === 404 ? null : Promise.reject(error))))).then(
      (found) => {
        if (stopped) return;
        setTrouble(null);
        setOrders(found.filter((order): order is Order => order !== null));
      },
      (error: unknown) => !stopped && setTrouble(troubleOf(error)),
    );
    return () => {
      stopped = true;
    };
  }, [session, ticketOrders, version]);

  if (trouble) return <ErrorBox trouble={trouble} onRetry={() => setVersion((v) => v + 1)} />;
  if (!orders) return <Loading what="orders" />;
  return (
    <article>
      <h1>My orders and tickets</h1>
      {orders.length === 0 && (
        <p className="muted">
          No orders yet. <Link to="/">See what is on sale.</Link>
        </p>
      )}
      {orders.map((order) => (
        <OrderCard key={order.orderId} order={order} tickets={tickets.filter((ticket) => ticket.orderId === order.orderId)} session={session} onChange={() => setVersion((v) => v + 1)} />
      ))}
    </article>
  );
}

function OrderCard({ order, tickets, session, onChange }: { order: Order; tickets: Ticket[]; session: Session; onChange: () => void }) {
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [refunding, setRefunding] = useState(false);
  const refund = async () => {
    if (!window.confirm(`Refund order ${order.orderId.slice(0, 8)} (${order.seatIds.join(', ')})? Its tickets stop being valid.`)) return;
    setRefunding(true);
    setTrouble(null);
    try {
      await request<Order>(`/orders/${order.orderId}/refund`, { method: 'POST', token: session.token });
      // Settles asynchronously: read the order until payments gave the money back.
      for (let i = 0; i < 60; i++) {
        const current = await request<Order>(`/orders/${order.orderId}`, { token: session.token });
        if (current.status === 'refunded') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      onChange();
    } catch (error) {
      setTrouble(troubleOf(error));
    } finally {
      setRefunding(false);
    }
  };
  const shownTickets = order.status === 'confirmed' ? tickets : [];
  return (
    <section className="order-card" data-testid="order-card" data-order-id={order.orderId} data-status={order.status}>
      <header>
        <h2>
          <Link to={`/orders/${order.orderId}`}>Order {order.orderId.slice(0, 8)}</Link> <span className={`badge badge-${order.status}`}>{STATUS_LABEL[order.status] ?? order.status}</span>
        </h2>
        <p className="muted">
          {order.seatIds.join(', ')}
          {order.total && <> · {formatMoney(order.total)}</>} · <Link to={`/shows/${order.showId}`}>the show</Link>
        </p>
      </header>
      {order.status === 'rejected' && <p className="muted">{rejectionMessage(order.rejectionReason)}</p>}
      {shownTickets.length > 0 && (
        <div className="tickets">
          {shownTickets.map((ticket) => (
            <TicketCard key={ticket.ticketId} ticket={ticket} />
          ))}
        </div>
      )}
      {order.status === 'confirmed' && (
        <button type="button" onClick={() => void refund()} disabled={refunding}>
          {refunding ? 'Refunding…' : 'Refund this order'}
        </button>
      )}
      {trouble && <ErrorBox trouble={trouble} onRetry={() => void refund()} />}
    </section>
  );
}
