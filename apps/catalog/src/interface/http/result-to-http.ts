import type { BusinessRuleViolation } from '@boxoffice/ddd';
import { ProblemException } from '@boxoffice/platform';

/**
 * Refusals that come from the state a show is in, not from what was sent:
 * the same request could have succeeded a moment earlier (RFC 9110 §15.5.10).
 */
const STATE_CONFLICTS = new Set(['concurrent-change', 'show-not-draft']);

/** Business "no"s become 404 for missing things, 409 when the resource's state is in the way, and 422 for broken rules. */
export function raiseViolation(error: BusinessRuleViolation): never {
  if (error.code.endsWith('-not-found')) throw ProblemException.notFound(error.code.replace(/-not-found$/, '').replace(/^./, (c) => c.toUpperCase()), error.message);
  if (STATE_CONFLICTS.has(error.code)) throw ProblemException.conflict(error.code, error.message);
  throw ProblemException.unprocessable(error.code, error.message);
}
