import { z } from 'zod';
import { boundedInt, NonBlankText } from '../shared-schemas.js';

/**
 * Catalog's REST bodies. The gateway validates and documents with these and
 * catalog validates again with the same schemas: one definition, two checks.
 */
// Letters and digits only: the pattern alone keeps out NUL, surrogates and white space (not trimmed away: the
// document, which cannot say "trimmed", refuses " A ", so the validation does too).
const code = z.string().min(1).max(16).regex(/^[A-Za-z0-9]+$/, 'letters and digits only');

export const RegisterVenueRequest = z
  .object({
    name: NonBlankText(200),
    sections: z
      .array(
        z.object({
          code,
          rows: boundedInt(z.number(), 1, 200),
          seatsPerRow: boundedInt(z.number(), 1, 200),
          priceTier: code,
        }),
      )
      .min(1)
      .max(50),
  })
  .strict();
export type RegisterVenueRequest = z.infer<typeof RegisterVenueRequest>;

export const ScheduleShowRequest = z
  .object({
    venueId: z.uuid(),
    title: NonBlankText(200),
    startsAt: z.iso.datetime({ offset: true }),
    priceTiers: z
      .array(z.object({ code, priceMinor: boundedInt(z.number(), 0, 10_000_000), currency: z.string().regex(/^[A-Z]{3}$/) }))
      .min(1)
      .max(20),
  })
  .strict();
export type ScheduleShowRequest = z.infer<typeof ScheduleShowRequest>;

export const IdParam = z.uuid();

export const VenueView = z.object({
  id: z.uuid(),
  name: z.string(),
  sections: RegisterVenueRequest.shape.sections,
  seatCount: z.number().int(),
  version: z.number().int(),
});
export type VenueView = z.infer<typeof VenueView>;

export const ShowStatus = z.enum(['draft', 'published', 'cancelled']);
export type ShowStatus = z.infer<typeof ShowStatus>;

export const ShowView = z.object({
  id: z.uuid(),
  venueId: z.uuid(),
  title: z.string(),
  startsAt: z.string(),
  priceTiers: ScheduleShowRequest.shape.priceTiers,
  status: ShowStatus,
  version: z.number().int(),
});
export type ShowView = z.infer<typeof ShowView>;

export const CreatedResponse = z.object({ id: z.uuid() });
export type CreatedResponse = z.infer<typeof CreatedResponse>;
