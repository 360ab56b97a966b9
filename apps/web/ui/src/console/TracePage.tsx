import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, request } from '../app/api';
import { troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { useSession } from '../app/session';
import { ErrorBox, JaegerLink, Loading } from '../storefront/parts';
import { AdminSignIn } from './ConsolePage';
import { colourOf, formatMillis, type TraceSpan, type TraceView } from './trace-view';
import './waterfall.css';

/** While a trace may still be arriving, it is read again this often… */
export const FOLLOW_EVERY_MILLIS = 1000;
/** …for at most this long after the page opened it (or Refresh was pressed) (ADR 0037). */
export const FOLLOW_FOR_MILLIS = 15_000;
/** A trace with every parent present that kept its span count over this many readings is taken as complete. */
const STABLE_READINGS = 3;

type Reading =
  | { state: 'reading' }
  | { state: 'found'; trace: TraceView }
  | { state: 'not-yet' }
  | { state: 'no-backend'; detail: string }
  | { state: 'failed'; trouble: Trouble };

/**
 * One trace as a waterfall (`/console/traces/<trace id>`): a row per span,
 * indented under its parent, its bar placed by its start and length on the
 * trace's time line, coloured by the app that recorded it; failed spans in
 * red. Read through the gateway (`GET /admin/ops/traces/{traceId}`), never
 * from the trace backend directly; for admins.
 */
export function TracePage({ traceId }: { traceId: string }) {
  const session = useSession();
  if (!session || session.username !== 'admin') return <AdminSignIn signedInAs={session?.username ?? null} />;
  return <Trace token={session.token} traceId={traceId} />;
}

function Trace({ token, traceId }: { token: string; traceId: string }) {
  const [reading, setReading] = useState<Reading>({ state: 'reading' });
  const [following, setFollowing] = useState(false);
  const [readAt, setReadAt] = useState<Date | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const hasTrace = useRef(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const until = Date.now() + FOLLOW_FOR_MILLIS;
    let lastCount = -1;
    let stable = 0;
    const again = () => {
      const more = Date.now() + FOLLOW_EVERY_MILLIS <= until;
      setFollowing(more);
      if (more) timer = setTimeout(() => void read(), FOLLOW_EVERY_MILLIS);
    };
    const read = async () => {
      try {
        const trace = await request<TraceView>(`/admin/ops/traces/${encodeURIComponent(traceId)}`, { token });
        if (stopped) return;
        hasTrace.current = true;
        setReading({ state: 'found', trace });
        setReadAt(new Date());
        stable = trace.spanCount === lastCount && trace.orphans === 0 ? stable + 1 : 0;
        lastCount = trace.spanCount;
        if (stable + 1 >= STABLE_READINGS) setFollowing(false);
        else again();
      } catch (error) {
        if (stopped) return;
        setReadAt(new Date());
        const problem = error instanceof ApiError ? error.problem : null;
        if (problem?.status === 503 && problem.code === 'no-trace-backend') {
          setReading({ state: 'no-backend', detail: problem.detail ?? '' });
          setFollowing(false);
          return;
        }
        // A trace read again that fails keeps what was shown; a first read says why.
        if (problem?.status === 404) {
          if (!hasTrace.current) setReading({ state: 'not-yet' });
        } else if (!hasTrace.current) {
          setReading({ state: 'failed', trouble: troubleOf(error) });
        }
        if (problem?.status === 404 || problem?.status === 503 || problem?.status === 502) again();
        else setFollowing(false);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [traceId, token, attempt]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  return (
    <article className="console trace-page" data-testid="trace-page" data-trace-id={traceId} data-following={following ? 'true' : 'false'}>
      <header className="page-header">
        <p className="small">
          <Link to="/console">← Operations console</Link>
        </p>
        <h1>
          Trace <code className="trace-id">{traceId}</code>
        </h1>
        <p className="muted small" data-testid="trace-read-at">
          {readAt ? `Read at ${readAt.toLocaleTimeString('en-GB')}` : 'Reading…'}
          {following ? `; reading again every ${FOLLOW_EVERY_MILLIS / 1000} s while spans arrive` : ''}{' '}
          <button type="button" className="small-button" data-testid="trace-refresh" onClick={refresh}>
            Refresh
          </button>
          <JaegerLink traceId={traceId} />
        </p>
      </header>
      {reading.state === 'reading' && <Loading what="trace" />}
      {reading.state === 'not-yet' && (
        <div className="notice" data-testid="trace-not-found">
          <p>
            The trace backend has no span of this trace {following ? 'yet. Spans arrive a second or so after they end: waiting for them…' : '. It may be too new, or too old for the backend to keep.'}
          </p>
        </div>
      )}
      {reading.state === 'no-backend' && (
        <div className="notice" data-testid="no-trace-backend">
          <p>
            <strong>No trace backend.</strong> The gateway has no trace backend to read traces from: set its <code>TRACES_QUERY_URL</code> to a Jaeger query service
            (docs/observability.md).
          </p>
          <p className="muted small">{reading.detail}</p>
        </div>
      )}
      {reading.state === 'failed' && <ErrorBox trouble={reading.trouble} onRetry={refresh} />}
      {reading.state === 'found' && <Waterfall trace={reading.trace} following={following} selected={selected} onSelect={setSelected} />}
    </article>
  );
}

/** Tick marks at a round step (1, 2 or 5 times a power of ten) giving about five of them. */
function ticksOf(total: number): number[] {
  if (total <= 0) return [0];
  const raw = total / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t <= total + step / 1000; t += step) ticks.push(t);
  return ticks;
}

function Waterfall({ trace, following, selected, onSelect }: { trace: TraceView; following: boolean; selected: string | null; onSelect: (spanId: string | null) => void }) {
  const total = Math.max(trace.durationMs, 0.001);
  const errors = trace.services.reduce((sum, s) => sum + s.errors, 0);
  const percent = (ms: number) => `${Math.min(100, (ms / total) * 100)}%`;
  return (
    <>
      <section className="panel trace-summary" data-testid="trace-summary" data-span-count={trace.spanCount} data-services={trace.services.map((s) => s.service).join(',')} data-errors={errors}>
        <dl>
          <div>
            <dt>Duration</dt>
            <dd>{formatMillis(trace.durationMs)}</dd>
          </div>
          <div>
            <dt>Spans</dt>
            <dd>{trace.spanCount}</dd>
          </div>
          <div>
            <dt>Contexts</dt>
            <dd>{trace.services.length}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd className={errors > 0 ? 'trace-has-errors' : ''}>{errors}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{new Date(trace.startedAt).toLocaleString('en-GB')}</dd>
          </div>
        </dl>
        <ul className="trace-services">
          {trace.services.map((s) => (
            <li key={s.service} data-testid="trace-service" data-service={s.service}>
              <span className="swatch" style={{ background: colourOf(s.service) }} />
              {s.service} <span className="muted">{s.spans}</span>
              {s.errors > 0 && <span className="badge badge-down">{s.errors} failed</span>}
            </li>
          ))}
        </ul>
        {trace.orphans > 0 && (
          <p className="notice small" data-testid="trace-incomplete">
            {trace.orphans} {trace.orphans === 1 ? 'span is' : 'spans are'} still waiting for {trace.orphans === 1 ? 'its' : 'their'} parent: the trace is not complete yet
            {following ? ' (reading again…)' : '; press Refresh to read it again'}.
          </p>
        )}
      </section>
      <section className="panel waterfall" data-testid="waterfall">
        <div className="waterfall-row waterfall-axis" aria-hidden="true">
          <div className="waterfall-label">Span</div>
          <div className="waterfall-lane">
            {ticksOf(total).map((t) => (
              <span key={t} className="tick" style={{ left: percent(t) }}>
                {formatMillis(t)}
              </span>
            ))}
          </div>
        </div>
        {trace.spans.map((span) => (
          <Fragment key={span.spanId}>
            <SpanRow span={span} percent={percent} open={selected === span.spanId} onToggle={() => onSelect(selected === span.spanId ? null : span.spanId)} />
            {selected === span.spanId && <SpanDetails span={span} />}
          </Fragment>
        ))}
      </section>
    </>
  );
}

function SpanRow({ span, percent, open, onToggle }: { span: TraceSpan; percent: (ms: number) => string; open: boolean; onToggle: () => void }) {
  const colour = colourOf(span.service);
  const failed = span.status === 'error';
  return (
    <div
      className={`waterfall-row span-row${failed ? ' span-failed' : ''}${open ? ' span-open' : ''}`}
      data-testid="span-row"
      data-span-id={span.spanId}
      data-service={span.service}
      data-depth={span.depth}
      data-status={span.status}
      role="button"
      tabIndex={0}
      aria-expanded={open}
      onClick={onToggle}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onToggle();
        }
      }}
      title={failed && span.error ? `${span.name}: ${span.error}` : span.name}
    >
      <div className="waterfall-label" style={{ paddingLeft: `${Math.min(span.depth, 24) * 0.8}rem` }}>
        <span className="service-tag" style={{ borderColor: colour, color: colour }}>
          {span.service}
        </span>
        <span className="span-name">{span.name}</span>
        {failed && <span className="span-error-mark">failed</span>}
      </div>
      <div className="waterfall-lane">
        <span className="span-bar" style={{ left: percent(span.startOffsetMs), width: percent(span.durationMs), background: failed ? undefined : colour }} />
        <span className="span-duration" style={{ left: percent(span.startOffsetMs + span.durationMs) }}>
          {formatMillis(span.durationMs)}
        </span>
      </div>
    </div>
  );
}

function SpanDetails({ span }: { span: TraceSpan }) {
  return (
    <div className="span-details" data-testid="span-details">
      <dl>
        <dt>span</dt>
        <dd>
          <code>{span.spanId}</code> ({span.kind}
          {span.instance ? `, ${span.instance}` : ''}), from {formatMillis(span.startOffsetMs)} for {formatMillis(span.durationMs)}
        </dd>
        {span.error && (
          <>
            <dt>error</dt>
            <dd className="span-error-text">{span.error}</dd>
          </>
        )}
        {Object.entries(span.attributes).map(([key, value]) => (
          <Fragment key={key}>
            <dt>{key}</dt>
            <dd>
              <code>{String(value)}</code>
            </dd>
          </Fragment>
        ))}
      </dl>
    </div>
  );
}
