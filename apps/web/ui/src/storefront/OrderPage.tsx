import { useEffect, useState } from 'react';
import { formatDate, formatMoney, request, type Order, type OrderStatus, type OrderStep } from '../app/api';
import { rejectionMessage, troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { traceOfOrder, useSession } from '../app/session';
import { ErrorBox, JaegerLink, Loading } from './parts';
import { SignInForm } from './SignInPage';
import { TicketCard, useMyTickets } from './tickets';

/** The checkout's forward steps, in order (docs/saga.md): those not reached yet are shown ahead while the order moves. */
const HAPPY_PATH: OrderStatus[] = ['holding-seats', 'authorizing-payment', 'confirming-seats', 'capturing-payment', 'confirmed'];

/** A step under way, as the buyer reads it. */
const IN_PROGRESS: Record<OrderStatus, string> = {
  'holding-seats': 'Holding your seats',
  'authorizing-payment': 'Authorizing your payment',
  'confirming-seats': 'Confirming your seats',
  'capturing-payment': 'Taking the payment',
  'voiding-payment': 'Cancelling the payment',
  'releasing-seats': 'Releasing the seats',
  refunding: 'Refunding',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
  refunded: 'Refunded',
};

/** Steps that undo what the checkout did, or end it without a sale. */
const UNDOING: OrderStatus[] = ['voiding-payment', 'releasing-seats', 'rejected'];

/** What a step came to, told by the step that followed it. */
function outcome(step: OrderStep, next: OrderStep): { label: string; failed: boolean } {
  const failedHere = UNDOING.includes(next.status) && !UNDOING.includes(step.status);
  switch (step.status) {
    case 'holding-seats':
      return failedHere ? { label: 'Seats not held', failed: true } : { label: 'Seats held', failed: false };
    case 'authorizing-payment':
      return failedHere ? { label: next.reason?.startsWith('payment-declined') ? 'Payment declined' : 'Payment not authorized', failed: true } : { label: 'Payment authorized', failed: false };
    case 'confirming-seats':
      return failedHere ? { label: 'Seats not confirmed', failed: true } : { label: 'Seats confirmed', failed: false };
    case 'capturing-payment':
      return { label: 'Payment taken', failed: false };
    case 'voiding-payment':
      return { label: 'Payment cancelled', failed: false };
    case 'releasing-seats':
      return { label: 'Seats released', failed: false };
    case 'refunding':
      return next.status === 'confirmed' ? { label: 'Refund refused', failed: true } : { label: 'Money refunded', failed: false };
    case 'confirmed':
      return { label: next.reason === 'show-cancelled' ? 'Confirmed; then the show was cancelled' : 'Confirmed', failed: false };
    default:
      return { label: IN_PROGRESS[step.status], failed: false };
  }
}

interface DrawnStep {
  key: string;
  status: OrderStatus;
  label: string;
  state: 'done' | 'failed' | 'current' | 'ahead';
  at?: string;
  /** Why a step failed, said on it. */
  note?: string;
  /** The reason as ordering recorded it, on hover. */
  reason?: string | null;
}

/** A failure's reason, short: `payment-declined: insufficient-funds` says `insufficient-funds` on a "Payment declined" step. */
function noteOf(reason: string | null): string | undefined {
  if (!reason) return undefined;
  return reason.replace(/^payment-declined: /, '').replace(/-/g, ' ');
}

/**
 * The steps to draw: every step the order passed, from its history (so the
 * page shows them whenever it is opened), each told by what came of it; the
 * current one; and, while the checkout still goes forward, the steps ahead.
 */
function drawnSteps(order: Order): DrawnStep[] {
  // Orders placed before ordering kept a history have none: their current state is all there is to say.
  const history: OrderStep[] = order.history.length > 0 ? order.history : [{ status: order.status, at: order.placedAt, reason: order.rejectionReason }];
  const drawn: DrawnStep[] = history.map((step, index) => {
    const next = history[index + 1];
    if (next) {
      const { label, failed } = outcome(step, next);
      return { key: `${index}`, status: step.status, label, state: failed ? 'failed' : 'done', at: step.at, note: failed ? noteOf(next.reason) : undefined, reason: failed ? next.reason : null };
    }
    const failedEnd = step.status === 'rejected';
    return { key: `${index}`, status: step.status, label: IN_PROGRESS[step.status], state: order.settled ? (failedEnd ? 'failed' : 'done') : 'current', at: step.at, reason: failedEnd ? step.reason : null };
  });
  const last = history[history.length - 1]!.status;
  const forward = HAPPY_PATH.indexOf(last);
  if (forward >= 0 && !order.settled) {
    for (const status of HAPPY_PATH.slice(forward + 1)) drawn.push({ key: status, status, label: IN_PROGRESS[status], state: 'ahead' });
  }
  return drawn;
}

/** How often the order is read while a step is in flight: the buyer watches each step pass. */
const STEP_POLL_MILLIS = 400;

/** One order, followed through its saga until it is confirmed or rejected, with every step it passed. */
export function OrderPage({ orderId }: { orderId: string }) {
  const session = useSession();
  const [order, setOrder] = useState<Order | null>(null);
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

  return (
    <article className="order-page" data-testid="order" data-status={order.status}>
      <h1>
        Order {order.orderId.slice(0, 8)}
        <TraceLink orderId={order.orderId} traceId={order.traceId} />
      </h1>
      <p className="muted">
        {formatDate(order.placedAt)} · {order.seatIds.join(', ')}
        {order.total && <> · {formatMoney(order.total)}</>}
      </p>
      <ol className="steps" data-testid="steps">
        {drawnSteps(order).map((step) => (
          <li
            key={step.key}
            className={`step ${step.state === 'ahead' ? '' : step.state}`.trim()}
            data-step={step.status}
            data-state={step.state}
            title={[step.at && formatTime(step.at), step.reason].filter(Boolean).join(' · ') || undefined}
          >
            {step.label}
            {step.note && <span className="step-note">: {step.note}</span>}
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

/** When a step began, by ordering's clock: for the reader, not for comparing with anything else. */
function formatTime(iso: string): string {
  return new Intl.DateTimeFormat('en', { timeStyle: 'medium' }).format(new Date(iso));
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
 * (`/console/traces/<trace id>`, for admins; ADR 0037), in any browser: the
 * order names the trace of the request that placed it (ADR 0044); for an
 * order placed before ordering kept it, when this browser placed the order
 * (the POST's `traceresponse` named its trace). And "in Jaeger", the same
 * trace in the trace UI, when the web app knows one (TRACES_URL).
 */
function TraceLink({ orderId, traceId: stored }: { orderId: string; traceId: string | null | undefined }) {
  const [remembered] = useState(() => traceOfOrder(orderId));
  const traceId = stored ?? remembered;
  if (!traceId) return null;
  return (
    <span className="trace-links">
      <Link className="trace-link" data-testid="trace-link" to={`/console/traces/${traceId}`} title="This checkout as one trace across every context, in the operations console (for admins)">
        trace
      </Link>
      <JaegerLink traceId={traceId} />
    </span>
  );
}
