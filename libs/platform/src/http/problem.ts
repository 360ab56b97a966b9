/**
 * RFC 9457 problem details: the one shape every REST error has. `code` is a
 * stable machine-readable name; `type` is derived from it.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: { path: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(status: number, code: string, title: string, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:boxoffice:problem:${code}`, title, status, code, ...extra };
}
