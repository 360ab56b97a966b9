import type { PriceTier, Seat, SeatState } from '../app/api';
import { formatMoney } from '../app/api';

interface Props {
  seats: Seat[];
  states: Record<string, SeatState>;
  selected: Set<string>;
  priceTiers: PriceTier[];
  onToggle: (seatId: string) => void;
}

const STATE_LABEL: Record<SeatState, string> = { free: 'free', held: 'held by a buyer', sold: 'sold', withdrawn: 'withdrawn' };

/** The venue's sections, each a block of rows of seats, drawn from the seat map. */
export function SeatMapView({ seats, states, selected, priceTiers, onToggle }: Props) {
  const sections = new Map<string, Map<string, Seat[]>>();
  for (const seat of seats) {
    const rows = sections.get(seat.section) ?? new Map<string, Seat[]>();
    sections.set(seat.section, rows);
    rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat]);
  }
  const price = (tier: string) => {
    const found = priceTiers.find((t) => t.code === tier);
    return found ? formatMoney(found) : tier;
  };
  return (
    <div className="seat-map" data-testid="seat-map">
      <div className="stage">stage</div>
      {[...sections.entries()].map(([section, rows]) => {
        const tier = rows.values().next().value?.[0]?.priceTier ?? '';
        return (
          <section key={section} className="section" aria-label={`section ${section}`}>
            <h3>
              Section {section} <span className="muted">· {price(tier)}</span>
            </h3>
            {[...rows.entries()]
              .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
              .map(([row, rowSeats]) => (
                <div key={row} className="row">
                  <span className="row-label">{row}</span>
                  {rowSeats
                    .sort((a, b) => a.number - b.number)
                    .map((seat) => {
                      const state = states[seat.seatId] ?? 'sold';
                      const isSelected = selected.has(seat.seatId);
                      return (
                        <button
                          key={seat.seatId}
                          type="button"
                          className={`seat seat-${state}${isSelected ? ' seat-selected' : ''}`}
                          data-seat-id={seat.seatId}
                          data-state={state}
                          aria-pressed={isSelected}
                          title={`${seat.seatId}: ${STATE_LABEL[state]}, ${price(seat.priceTier)}`}
                          disabled={state !== 'free' && !isSelected}
                          onClick={() => onToggle(seat.seatId)}
                        >
                          {seat.number}
                        </button>
                      );
                    })}
                </div>
              ))}
          </section>
        );
      })}
      <p className="legend">
        <span className="seat seat-free" /> free <span className="seat seat-selected" /> yours <span className="seat seat-held" /> held <span className="seat seat-sold" /> sold <span className="seat seat-withdrawn" /> withdrawn
      </p>
    </div>
  );
}
