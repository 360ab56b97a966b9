import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { problem } from './problem.js';
import { ProblemException } from './problem-exception.js';

/**
 * Validates a request body (or param) against the zod schema that also
 * documents it, answering 400 with every offending field on failure.
 */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new ProblemException(
      problem(400, 'validation-failed', 'Request is not valid', {
        errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
      }),
    );
  }
}
