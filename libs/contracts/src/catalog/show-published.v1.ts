import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../event-contract.js';

/**
 * A show went on sale. Carries the full, immutable seat map so inventory can
 * create the show's seats without asking catalog for anything.
 */
export const ShowPublishedV1 = defineEvent(
  'catalog.show-published',
  1,
  z.object({
    showId: z.uuid(),
    venueId: z.uuid(),
    title: z.string(),
    startsAt: z.iso.datetime({ offset: true }),
    priceTiers: z.array(z.object({ code: z.string(), priceMinor: z.number().int().nonnegative(), currency: z.string().length(3) })),
    seats: z
      .array(
        z.object({
          seatId: z.string(),
          section: z.string(),
          row: z.string(),
          number: z.number().int().positive(),
          priceTier: z.string(),
        }),
      )
      .min(1),
  }),
);

export type ShowPublishedPayload = PayloadOf<typeof ShowPublishedV1>;
