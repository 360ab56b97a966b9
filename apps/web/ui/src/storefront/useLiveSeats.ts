import { useEffect, useMemo, useState } from 'react';
import { apiBaseUrl, type Seat, type SeatChange, type SeatMap, type SeatMapShow, type SeatState } from '../app/api';
import { shownStates, statesOfSnapshot, type KnownSeatState } from './seatStates';

export interface LiveSeats {
  seats: Seat[];
  states: Record<string, SeatState>;
  /** Whether the stream said the show was cancelled: as it opened, or while the page was open. */
  cancelled: boolean;
  /** `connecting` until the first snapshot, `live` while the stream is open, `reconnecting` after it broke. */
  connection: 'connecting' | 'live' | 'reconnecting' | 'not-on-sale';
}

/**
 * The show's seat map, live: the gateway's server-sent events (GET
 * /shows/:id/seat-events) start with a snapshot and then say every change.
 * EventSource reconnects by itself after a network error, and each new
 * stream starts with a fresh snapshot (and a `show` event if the show is
 * cancelled by then); after an error answer (a show whose
 * seats are not on sale yet) it gives up, so we open a new one a little later.
 * `showCancelled`: the show's status as the page loaded it; of a cancelled
 * show, whatever is not sold is shown withdrawn.
 */
export function useLiveSeats(showId: string, showCancelled: boolean): LiveSeats {
  const [live, setLive] = useState<Omit<LiveSeats, 'states'> & { known: Record<string, KnownSeatState> }>({ seats: [], known: {}, cancelled: false, connection: 'connecting' });

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const open = async () => {
      const base = await apiBaseUrl();
      if (closed) return;
      source = new EventSource(`${base}/shows/${encodeURIComponent(showId)}/seat-events`);
      source.addEventListener('snapshot', (event) => {
        const map = JSON.parse((event as MessageEvent<string>).data) as SeatMap;
        setLive((previous) => ({ ...previous, seats: map.seats, known: statesOfSnapshot(map), connection: 'live' }));
      });
      source.addEventListener('seats', (event) => {
        const change = JSON.parse((event as MessageEvent<string>).data) as SeatChange;
        setLive((previous) => {
          const known = { ...previous.known };
          for (const seatId of change.seatIds) if (seatId in known) known[seatId] = change.state;
          return { ...previous, known };
        });
      });
      // Right after the snapshot of a show cancelled before the stream opened, or when the cancellation arrives.
      source.addEventListener('show', (event) => {
        const show = JSON.parse((event as MessageEvent<string>).data) as SeatMapShow;
        if (show.status === 'cancelled') setLive((previous) => ({ ...previous, cancelled: true }));
      });
      source.onerror = () => {
        if (!source || source.readyState !== EventSource.CLOSED) {
          setLive((previous) => ({ ...previous, connection: 'reconnecting' }));
          return;
        }
        // Closed for good: an error answer, e.g. 404 while the show's seats are not on sale yet.
        setLive((previous) => ({ ...previous, connection: previous.seats.length > 0 ? 'reconnecting' : 'not-on-sale' }));
        retry = setTimeout(() => void open(), 3000);
      };
    };
    void open().catch(() => (retry = setTimeout(() => void open(), 3000)));
    return () => {
      closed = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [showId]);

  const cancelled = showCancelled || live.cancelled;
  const states = useMemo(() => shownStates(live.known, cancelled), [live.known, cancelled]);
  return { seats: live.seats, states, cancelled: live.cancelled, connection: live.connection };
}
