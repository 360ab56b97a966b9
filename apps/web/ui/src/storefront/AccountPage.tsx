import { useEffect, useState } from 'react';
import { formatDate, formatMoney, request, type CustomerOrdersView, type Order, type Ticket } from '../app/api';
import { rejectionMessage, troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { useSession, type Session } from '../app/session';
import { ErrorBox, Loading } from './parts';
import { SignInForm } from './SignInPage';
import { TicketCard, useMyTickets } from './tickets';

const STATUS_LABEL: Partial<Record<Order['status'], string>> = { confirmed: 'confirmed', rejected: 'rejected', refunding: 'refunding…', refunded: 'refunded' };

/**
 * My orders and tickets: my orders from the gateway (GET /me/orders, from
 * every browser), newest first, a page at a time; the tickets of each with
 * their QR codes; a refund for a confirmed one.
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
  const [pages, setPages] = useState<CustomerOrdersView[] | null>(null);
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [version, setVersion] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);

  // The first page (again on a retry); older pages are added on demand.
  useEffect(() => {
    let stopped = false;
    request<CustomerOrdersView>('/me/orders', { token: session.token }).then(
      (first) => {
        if (stopped) return;
        setTrouble(null);
        setPages([first]);
      },
      (error: unknown) => !stopped && setTrouble(troubleOf(error)),
    );
    return () => {
      stopped = true;
    };
  }, [session, version]);

  const next = pages?.[pages.length - 1]?.next ?? null;
  const showOlder = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await request<CustomerOrdersView>(`/me/orders?after=${next}`, { token: session.token });
      setPages((current) => [...(current ?? []), page]);
      setTrouble(null);
    } catch (error) {
      setTrouble(troubleOf(error));
    } finally {
      setLoadingMore(false);
    }
  };

  // An order that changed here (refunded) takes its place in whichever page it is.
  const replace = (changed: Order) =>
    setPages((current) => current && current.map((page) => ({ ...page, orders: page.orders.map((order) => (order.orderId === changed.orderId ? changed : order)) })));

  if (!pages) return trouble ? <ErrorBox trouble={trouble} onRetry={() => setVersion((v) => v + 1)} /> : <Loading what="orders" />;
  const orders = pages.flatMap((page) => page.orders);
  return (
    <article>
      <h1>My orders and tickets</h1>
      {orders.length === 0 && (
        <p className="muted">
          No orders yet. <Link to="/">See what is on sale.</Link>
        </p>
      )}
      {orders.map((order) => (
        <OrderCard key={order.orderId} order={order} tickets={tickets.filter((ticket) => ticket.orderId === order.orderId)} session={session} onChange={replace} />
      ))}
      {trouble && <ErrorBox trouble={trouble} onRetry={() => (next ? void showOlder() : setVersion((v) => v + 1))} />}
      {next && (
        <button type="button" onClick={() => void showOlder()} disabled={loadingMore} data-testid="older-orders">
          {loadingMore ? 'Loading…' : 'Show older orders'}
        </button>
      )}
    </article>
  );
}

function OrderCard({ order, tickets, session, onChange }: { order: Order; tickets: Ticket[]; session: Session; onChange: (order: Order) => void }) {
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [refunding, setRefunding] = useState(false);
  const refund = async () => {
    if (!window.confirm(`Refund order ${order.orderId.slice(0, 8)} (${order.seatIds.join(', ')})? Its tickets stop being valid.`)) return;
    setRefunding(true);
    setTrouble(null);
    try {
      await request<Order>(`/orders/${order.orderId}/refund`, { method: 'POST', token: session.token });
      // Settles asynchronously: read the order until payments gave the money back.
      let current = order;
      for (let i = 0; i < 60 && current.status !== 'refunded'; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
        current = await request<Order>(`/orders/${order.orderId}`, { token: session.token });
      }
      onChange(current);
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
          {formatDate(order.placedAt)} · {order.seatIds.join(', ')}
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
