import { useEffect, useState } from 'react';
import { formatMoney, request, webConfig, type Order, type OrderStatus } from '../app/api';
import { rejectionMessage, troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { traceOfOrder, useSession } from '../app/session';
import { ErrorBox, Loading } from './parts';
import { SignInForm } from './SignInPage';
import { TicketCard, useMyTickets } from './tickets';

/** The checkout saga's steps as the buyer sees them (docs/saga.md). */
const HAPPY_PATH: { status: OrderStatus; label: string }[] = [
  { status: 'holding-seats', label: 'Holding your seats' },
  { status: 'authorizing-payment', label: 'Authorizing your payment' },
  { status: 'confirming-seats', label: 'Confirming your seats' },
  { status: 'capturing-payment', label: 'Taking the payment' },
  { status: 'confirmed', label: 'Confirmed' },
];
const UNDOING: Partial<Record<OrderStatus, string>> = { 'voiding-payment': 'Cancelling the payment', 'releasing-seats': 'Releasing the seats' };

/** How often the order is read while a step is in flight: the buyer watches each step pass. */
const STEP_POLL_MILLIS = 400;

/** One order, followed through its saga until it is confirmed or rejected. */
export function OrderPage({ orderId }: { orderId: string }) {
  const session = useSession();
  const [order, setOrder] = useState<Order | null>(null);
  const [seen, setSeen] = useState<OrderStatus[]>([]);
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!session) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const current = await request<Order>(`/orders/${orderId}`, { token: session.token });
        if (stopped) return;
        setTrouble(null);
        setOrder(current);
        setSeen((statuses) => (statuses.includes(current.status) ? statuses : [...statuses, current.status]));
        if (!current.settled || current.status === 'refunding') timer = setTimeout(() => void read(), STEP_POLL_MILLIS);
      } catch (error) {
        if (stopped) return;
        const problem = troubleOf(error);
        setTrouble(problem);
        // An outage passes: keep following the order, more slowly.
        if (problem.retry) timer = setTimeout(() => void read(), 2000);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [orderId, session, attempt]);

  if (!session) return <SignInForm prompt="Sign in to see this order" />;
  if (!order) return trouble ? <ErrorBox trouble={trouble} onRetry={() => setAttempt((n) => n + 1)} /> : <Loading what="order" />;

  const reached = (status: OrderStatus) => seen.includes(status) || HAPPY_PATH.findIndex((s) => s.status === status) < HAPPY_PATH.findIndex((s) => s.status === order.status);
  return (
    <article className="order-page" data-testid="order" data-status={order.status}>
      <h1>
        Order {order.orderId.slice(0, 8)}
        <TraceLink orderId={order.orderId} />
      </h1>
      <p className="muted">
        {order.seatIds.join(', ')}
        {order.total && <> · {formatMoney(order.total)}</>}
      </p>
      <ol className="steps">
        {HAPPY_PATH.map((step) => (
          <li key={step.status} className={order.status === step.status ? (order.settled ? 'step done' : 'step current') : reached(step.status) && order.status !== 'rejected' ? 'step done' : 'step'}>
            {step.label}
          </li>
        ))}
        {Object.entries(UNDOING)
          .filter(([status]) => seen.includes(status as OrderStatus))
          .map(([status, label]) => (
            <li key={status} className={order.status === status ? 'step current undo' : 'step done undo'}>
              {label}
            </li>
          ))}
      </ol>
      {trouble && <ErrorBox trouble={trouble} onRetry={() => setAttempt((n) => n + 1)} />}
      {order.status === 'confirmed' && <ConfirmedOrder order={order} token={session.token} />}
      {order.status === 'rejected' && (
        <div className="error" role="alert" data-testid="rejection">
          <p>{rejectionMessage(order.rejectionReason)}</p>
          <Link to={`/shows/${order.showId}`}>Back to the seat map</Link>
        </div>
      )}
      {(order.status === 'refunding' || order.status === 'refunded') && <p className="notice">{order.status === 'refunded' ? 'Refunded: the money is back on your card.' : 'Refunding…'}</p>}
    </article>
  );
}

function ConfirmedOrder({ order, token }: { order: Order; token: string }) {
  const tickets = useMyTickets(token, order.orderId, order.seatIds.length);
  return (
    <section>
      <p className="success">Your order is confirmed. Enjoy the show!</p>
      <h2>Your tickets</h2>
      {tickets.length < order.seatIds.length && <Loading what="tickets" />}
      <div className="tickets">
        {tickets.map((ticket) => (
          <TicketCard key={ticket.ticketId} ticket={ticket} />
        ))}
      </div>
      <Link to="/me">All my orders and tickets</Link>
    </section>
  );
}

/**
 * "trace": the order's checkout as a waterfall in the operations console
 * (`/console/traces/<trace id>`, for admins; ADR 0037), when this browser
 * placed the order (the POST's `traceresponse` names its trace); and "in
 * Jaeger", the same trace in the trace UI, when the web app knows one
 * (TRACES_URL).
 */
function TraceLink({ orderId }: { orderId: string }) {
  const [traceId] = useState(() => traceOfOrder(orderId));
  const [jaeger, setJaeger] = useState<string | null>(null);
  useEffect(() => {
    if (!traceId) return;
    let stopped = false;
    webConfig()
      .then((config) => {
        if (!stopped && config.tracesUrl) setJaeger(`${config.tracesUrl}/trace/${traceId}`);
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [traceId]);
  if (!traceId) return null;
  return (
    <span className="trace-links">
      <Link className="trace-link" data-testid="trace-link" to={`/console/traces/${traceId}`} title="This checkout as one trace across every context, in the operations console (for admins)">
        trace
      </Link>
      {jaeger && (
        <a className="trace-link" data-testid="trace-jaeger-link" href={jaeger} target="_blank" rel="noreferrer" title="The same trace in Jaeger">
          in Jaeger
        </a>
      )}
    </span>
  );
}
