import { z } from 'zod';

/** Where a refused value was: RFC 9457 leaves it to us; these are OpenAPI's parameter locations plus the body. */
export const ProblemLocation = z.enum(['path', 'query', 'header', 'body']);
export type ProblemLocation = z.infer<typeof ProblemLocation>;

/**
 * RFC 9457 problem details: the one shape every REST error has, from every
 * context and the gateway (`application/problem+json`). `code` is a stable
 * machine-readable name; `type` is derived from it.
 */
export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  code: z.string(),
  detail: z.string().optional(),
  /** The request's path. */
  instance: z.string().optional(),
  /**
   * Every refused value of a `validation-failed` problem: `in` where it was,
   * `path` its name (a path or query parameter, a header) or its dotted path
   * in the body (empty for the body as a whole).
   */
  errors: z.array(z.object({ in: ProblemLocation, path: z.string(), message: z.string() })).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetails>;
