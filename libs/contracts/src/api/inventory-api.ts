import { z } from 'zod';

/** `withdrawn`: seats of a cancelled show that are not sold; a cancelled show has no free or held seat. */
export const SeatCounts = z.object({
  total: z.number().int(),
  free: z.number().int(),
  held: z.number().int(),
  sold: z.number().int(),
  withdrawn: z.number().int(),
});

/** A show's live seat availability, per section and in total; `cancelled` once the show is called off. */
export const AvailabilityView = z.object({
  showId: z.uuid(),
  status: z.enum(['on-sale', 'cancelled']),
  seats: SeatCounts,
  sections: z.array(SeatCounts.extend({ section: z.string() })),
});
export type AvailabilityView = z.infer<typeof AvailabilityView>;

/**
 * A show's seat map with live availability, seat by seat. Buyers see only
 * whether a seat can be bought: who holds it, and whether it is held or sold,
 * is nobody else's business. `status`: whether the show still sells
 * (`on-sale`) or was called off (`cancelled`: no seat is available).
 */
export const SeatMapView = z.object({
  showId: z.uuid(),
  status: z.enum(['on-sale', 'cancelled']),
  seats: z.array(z.object({ seatId: z.string(), section: z.string(), row: z.string(), number: z.number().int(), priceTier: z.string(), available: z.boolean() })),
});
export type SeatMapView = z.infer<typeof SeatMapView>;
