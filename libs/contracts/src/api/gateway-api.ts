import { z } from 'zod';
import { ShowView } from './catalog-api.js';
import { AvailabilityView } from './inventory-api.js';

/**
 * The gateway's own composition: a show from catalog with its live
 * availability from inventory, null until inventory has put the show's seats
 * on sale (eventually consistent).
 */
export const ShowWithAvailability = ShowView.extend({ availability: AvailabilityView.nullable() });
export type ShowWithAvailability = z.infer<typeof ShowWithAvailability>;

/**
 * What a seat map's live stream (`GET /shows/:id/seat-events`, server-sent
 * events) says after its first `snapshot` event (a `SeatMapView`): seats that
 * changed, as the seat events on Kafka tell it. Who holds a seat is never
 * said; `withdrawn` seats belong to a cancelled show.
 */
export const SeatState = z.enum(['free', 'held', 'sold', 'withdrawn']);
export type SeatState = z.infer<typeof SeatState>;

export const SeatChangeEvent = z.object({ showId: z.uuid(), seatIds: z.array(z.string()), state: SeatState });
export type SeatChangeEvent = z.infer<typeof SeatChangeEvent>;

/**
 * A seat map stream's `show` event: the show itself changed. Of a cancelled
 * show nothing is for sale any more; what is not sold is `withdrawn`, also a
 * seat that a later `seats` event says is `free` or `held`.
 */
export const SeatMapShowEvent = z.object({ showId: z.uuid(), status: z.enum(['cancelled']) });
export type SeatMapShowEvent = z.infer<typeof SeatMapShowEvent>;
