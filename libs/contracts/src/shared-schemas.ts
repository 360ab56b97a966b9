import { z } from 'zod';

/** Money in minor units (cents) with its ISO currency: never floating point. */
export const Money = z.object({ amountMinor: z.number().int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof Money>;

export const SeatIds = z.array(z.string().min(1).max(40)).min(1).max(10);
