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
 * with a 400, the gateway and the context behind it alike. A name or title
 * is `NonBlankText(max)`.
 */
export const Text = z
  .string()
  .regex(NO_NUL, 'must not contain a NUL character')
  .refine((value) => !UNPAIRED_SURROGATE.test(value), 'must not contain an unpaired surrogate (not encodable as UTF-8)');

/**
 * What `String.prototype.trim` strips, spelled out: JSON Schema patterns are
 * also read by clients in other languages, whose `\s` is another set.
 */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/**
 * No NUL, and at least one character that trimming keeps: one pattern, as a
 * fuzzer draws one far faster than two. Leading white space, then the first
 * other character: the two classes share no character, so a failing match
 * backtracks in linear time (`^[^\\u0000]*[^…]` took seconds on 64 kB).
 */
const NON_BLANK_NO_NUL = new RegExp(`^[${TRIMMED}]*[^\\u0000${TRIMMED}][^\\u0000]*$`);

/**
 * A name or title: `Text` of at most `max` characters as sent, not blank,
 * stored trimmed. Each bound is one the document states (maxLength, one
 * pattern), so what the document admits is what the validation admits: a
 * blank `"   "` is refused by the pattern, not only after trimming.
 */
export const NonBlankText = (max: number) =>
  z
    .string()
    // Over the bound, nothing else is said of it (nor is the pattern run on 64 kB).
    .max(max, { abort: true })
    .regex(NON_BLANK_NO_NUL, 'must have a character other than white space, and no NUL character')
    .refine((value) => !UNPAIRED_SURROGATE.test(value), 'must not contain an unpaired surrogate (not encodable as UTF-8)')
    .trim();

/**
 * A whole number a client sends, between bounds. The bounds come first and
 * stop at a refusal, so a huge number gets one error with the bound that
 * applies, not also zod's "at most 2^53 - 1" of `int()`; the document says
 * `integer` with the same minimum and maximum.
 */
export const boundedInt = <T extends z.ZodNumber | z.ZodCoercedNumber>(base: T, min: number, max: number): T =>
  base.min(min, { abort: true }).max(max, { abort: true }).int() as T;

export const SeatIds = z.array(Text.min(1).max(40)).min(1).max(10);
