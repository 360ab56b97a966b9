import { z } from 'zod';
import { defineEvent, type PayloadOf } from '../event-contract.js';
import { Text } from '../shared-schemas.js';

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
    title: Text,
    startsAt: z.iso.datetime({ offset: true }),
    priceTiers: z.array(z.object({ code: Text, priceMinor: z.number().int().nonnegative(), currency: Text.length(3) })),
    seats: z
      .array(
        z.object({
          seatId: Text,
          section: Text,
          row: Text,
          number: z.number().int().positive(),
          priceTier: Text,
        }),
      )
      .min(1),
  }),
);

export type ShowPublishedPayload = PayloadOf<typeof ShowPublishedV1>;
