import { useState } from 'react';
import { request } from '../app/api';
import { usePolling } from '../app/polling';
import { troubleOf, type Trouble } from '../app/problems';
import { ErrorBox } from '../storefront/parts';
import { highestRates, OUTCOMES, ratesOf, withReading, type CountsReading, type Outcome, type OutcomeCounts } from './order-rates';
import { REFRESH_MILLIS } from './useOpsFeed';

/** How far back the chart reaches: five minutes, in this page's memory only (as the sparklines). */
const WINDOW_MILLIS = 5 * 60 * 1000;
const COLOURS: Record<Outcome, string> = { placed: '#175cd3', confirmed: '#079455', rejected: '#d92d20' };

/**
 * Orders per second (placed, confirmed, rejected) over the last five minutes:
 * GET /admin/ops/orders read every few seconds, its counts only ever growing,
 * and the rates taken from their differences over this browser's own clock
 * (order-rates.ts, docs/adr/0038).
 */
export function OrdersPerSecond({ token }: { token: string }) {
  const { readings, trouble } = useOrderCounts(token);
  const rates = ratesOf(readings);
  const current = rates.at(-1)?.perSecond;
  const highest = highestRates(rates);
  const totals = readings.at(-1)?.counts;
  const attributes = Object.fromEntries(OUTCOMES.flatMap((o) => [[`data-${o}-rate`, current?.[o] ?? 0], [`data-highest-${o}-rate`, highest[o]]]));
  return (
    <figure className="sparkline" data-testid="orders-per-second" data-readings={readings.length} {...attributes}>
      <RateChart rates={rates} since={readings[0]?.at ?? 0} now={readings.at(-1)?.at ?? 0} highest={Math.max(...OUTCOMES.map((o) => highest[o]))} />
      <figcaption>
        Orders per second <span className="muted small">(now, and in all)</span>
        <ul className="inline-list">
          {OUTCOMES.map((outcome) => (
            <li key={outcome} data-testid={`orders-${outcome}`} data-total={totals?.[outcome]}>
              <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: COLOURS[outcome] }} /> {outcome}: <strong>{current ? perSecond(current[outcome]) : '–'}</strong>/s{' '}
              <span className="muted small">({totals ? totals[outcome].toLocaleString('en-GB') : '–'} in all)</span>
            </li>
          ))}
        </ul>
      </figcaption>
      {trouble && <ErrorBox trouble={trouble} />}
    </figure>
  );
}

const perSecond = (rate: number) => (rate === 0 ? '0' : rate < 10 ? rate.toFixed(1) : Math.round(rate).toString());

/**
 * One line per outcome, time running left to right, the newest reading at the
 * right edge: over the readings so far (at least half a minute), up to five minutes.
 */
function RateChart({ rates, since, now, highest }: { rates: ReturnType<typeof ratesOf>; since: number; now: number; highest: number }) {
  const width = 440;
  const height = 80;
  const top = Math.max(1, highest);
  const span = Math.min(WINDOW_MILLIS, Math.max(30_000, now - since));
  const x = (at: number) => (width - ((now - at) / span) * width).toFixed(1);
  const y = (rate: number) => (height - 2 - (rate / top) * (height - 14)).toFixed(1);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Orders per second over the last five minutes, highest ${perSecond(highest)}`}>
      <line x1="0" y1={height - 2} x2={width} y2={height - 2} stroke="#d0d5dd" strokeWidth="1" />
      <text x="2" y="10" fontSize="10" fill="#667085">
        {perSecond(top)}/s
      </text>
      <text x={width - 2} y="10" fontSize="10" fill="#667085" textAnchor="end">
        the last {span < 60_000 ? `${Math.round(span / 1000)} s` : `${Number((span / 60_000).toFixed(1))} min`}
      </text>
      {rates.length > 0 &&
        OUTCOMES.map((outcome) => (
          <polyline
            key={outcome}
            data-outcome={outcome}
            points={rates.map((r) => `${x(r.at)},${y(r.perSecond[outcome])}`).join(' ')}
            fill="none"
            stroke={COLOURS[outcome]}
            strokeWidth="2"
          />
        ))}
    </svg>
  );
}

/** GET /admin/ops/orders every few seconds, each answer stamped with this browser's clock; a failed read keeps the readings so far. */
function useOrderCounts(token: string): { readings: CountsReading[]; trouble: Trouble | null } {
  const [state, setState] = useState<{ readings: CountsReading[]; trouble: Trouble | null }>({ readings: [], trouble: null });
  usePolling(
    async (signal) => {
      const sent = performance.now();
      try {
        const counts = await request<OutcomeCounts>('/admin/ops/orders', { token, signal });
        // The counts were read somewhere between asking and hearing back: the middle is the best guess.
        const reading = { at: (sent + performance.now()) / 2, counts };
        if (!signal.aborted) setState((previous) => ({ readings: withReading(previous.readings, reading, WINDOW_MILLIS), trouble: null }));
      } catch (error) {
        if (!signal.aborted) setState((previous) => ({ ...previous, trouble: troubleOf(error) }));
      }
    },
    REFRESH_MILLIS,
    [token],
  );
  return state;
}
