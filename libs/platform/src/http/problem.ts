import type { ProblemDetails } from '@boxoffice/contracts';

/** RFC 9457 problem details, as libs/contracts defines them (the schema the OpenAPI document shows). */
export type Problem = ProblemDetails;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(status: number, code: string, title: string, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:boxoffice:problem:${code}`, title, status, code, ...extra };
}
