import { z } from 'zod';

export const SeatCounts = z.object({ total: z.number().int(), free: z.number().int(), held: z.number().int(), sold: z.number().int() });

/** A show's live seat availability, per section and in total. */
export const AvailabilityView = z.object({
  showId: z.uuid(),
  seats: SeatCounts,
  sections: z.array(SeatCounts.extend({ section: z.string() })),
});
export type AvailabilityView = z.infer<typeof AvailabilityView>;
