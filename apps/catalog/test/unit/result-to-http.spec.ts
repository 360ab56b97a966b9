import { violation } from '@boxoffice/ddd';
import { ProblemException } from '@boxoffice/platform';
import { raiseViolation } from '../../src/interface/http/result-to-http.js';

function statusOf(code: string): number {
  try {
    raiseViolation(violation(code, 'why'));
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.status;
    throw error;
  }
  throw new Error('raiseViolation returned');
}

describe("catalog's refusals as HTTP statuses", () => {
  it('answers a missing thing with 404', () => {
    expect(statusOf('show-not-found')).toBe(404);
    expect(statusOf('venue-not-found')).toBe(404);
  });

  it("answers a refusal that comes from the show's state with 409: publishing a show already published or cancelled", () => {
    expect(statusOf('show-not-draft')).toBe(409);
    expect(statusOf('concurrent-change')).toBe(409);
  });

  it('answers a broken rule about what was sent with 422', () => {
    expect(statusOf('unpriced-seats')).toBe(422);
    expect(statusOf('duplicate-price-tier')).toBe(422);
  });
});
