import type { BusinessRuleViolation } from '@boxoffice/ddd';
import { ProblemException } from '@boxoffice/platform';

/** Business "no"s become 404 for missing things and 422 for broken rules. */
export function raiseViolation(error: BusinessRuleViolation): never {
  if (error.code.endsWith('-not-found')) throw ProblemException.notFound(error.code.replace(/-not-found$/, '').replace(/^./, (c) => c.toUpperCase()), error.message);
  if (error.code === 'concurrent-change') throw ProblemException.conflict(error.code, error.message);
  throw ProblemException.unprocessable(error.code, error.message);
}
