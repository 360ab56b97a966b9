import { z } from 'zod';

/** Money in minor units (cents) with its ISO currency: never floating point. */
export const Money = z.object({ amountMinor: z.number().int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof Money>;

/**
 * No NUL character: Postgres cannot store one in text. A JSON Schema pattern
 * too, so the OpenAPI document says it and a client can check it first.
 */
const NO_NUL = /^[^\u0000]*$/;
/** An unpaired UTF-16 surrogate (a `\ud800` escape in JSON) has no UTF-8 form: it would be stored as U+FFFD. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/**
 * Text from outside that can be stored as it was sent. Every string a client
 * sends (body, path, query) is built from it, or has a pattern that admits
 * only ASCII (a code, a URL, an id), so each context refuses the same input
 * with a 400, the gateway and the context behind it alike. Chain bounds on
 * it: `Text.trim().min(1).max(200)`.
 */
export const Text = z
  .string()
  .regex(NO_NUL, 'must not contain a NUL character')
  .refine((value) => !UNPAIRED_SURROGATE.test(value), 'must not contain an unpaired surrogate (not encodable as UTF-8)');

/**
 * A whole number a client sends, between bounds. The bounds come first and
 * stop at a refusal, so a huge number gets one error with the bound that
 * applies, not also zod's "at most 2^53 - 1" of `int()`; the document says
 * `integer` with the same minimum and maximum.
 */
export const boundedInt = <T extends z.ZodNumber | z.ZodCoercedNumber>(base: T, min: number, max: number): T =>
  base.min(min, { abort: true }).max(max, { abort: true }).int() as T;

export const SeatIds = z.array(Text.min(1).max(40)).min(1).max(10);
