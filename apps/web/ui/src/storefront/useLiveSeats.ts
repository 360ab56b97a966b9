import { useEffect, useState } from 'react';
import { apiBaseUrl, type Seat, type SeatChange, type SeatMap, type SeatState } from '../app/api';

export interface LiveSeats {
  seats: Seat[];
  states: Record<string, SeatState>;
  /** `connecting` until the first snapshot, `live` while the stream is open, `reconnecting` after it broke. */
  connection: 'connecting' | 'live' | 'reconnecting' | 'not-on-sale';
}

/**
 * The show's seat map, live: the gateway's server-sent events (GET
 * /shows/:id/seat-events) start with a snapshot and then say every change.
 * EventSource reconnects by itself after a network error, and each new
 * stream starts with a fresh snapshot; after an error answer (a show whose
 * seats are not on sale yet) it gives up, so we open a new one a little later.
 */
export function useLiveSeats(showId: string): LiveSeats {
  const [live, setLive] = useState<LiveSeats>({ seats: [], states: {}, connection: 'connecting' });

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
        const states = Object.fromEntries(map.seats.map((seat) => [seat.seatId, seat.available ? 'free' : 'sold'])) as Record<string, SeatState>;
        setLive({ seats: map.seats, states, connection: 'live' });
      });
      source.addEventListener('seats', (event) => {
        const change = JSON.parse((event as MessageEvent<string>).data) as SeatChange;
        setLive((previous) => {
          const states = { ...previous.states };
          for (const seatId of change.seatIds) if (seatId in states) states[seatId] = change.state;
          return { ...previous, states };
        });
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

  return live;
}
