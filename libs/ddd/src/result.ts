/**
 * Expected business outcomes are values, not exceptions: a use case returns
 * `ok(value)` or `fail(error)`; exceptions are left for bugs and infrastructure.
 */
export type Result<T, E = BusinessRuleViolation> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** A rule of the business said no; `code` is stable, `message` is for humans. */
export interface BusinessRuleViolation {
  readonly code: string;
  readonly message: string;
}

export const violation = (code: string, message: string): BusinessRuleViolation => ({ code, message });
