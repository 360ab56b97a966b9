import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import type { ProblemLocation } from '@boxoffice/contracts';
import { problem } from './problem.js';
import { ProblemException } from './problem-exception.js';

const LOCATIONS: Record<ArgumentMetadata['type'], ProblemLocation> = { body: 'body', param: 'path', query: 'query', custom: 'header' };

/**
 * Validates a request body, a path or query parameter (or a header, as a
 * custom argument) against the zod schema that also documents it, answering
 * 400 with every offending value, where it was and its name.
 */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown, metadata?: ArgumentMetadata): z.infer<T> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const location = metadata ? LOCATIONS[metadata.type] : 'body';
    // A named parameter (`@Param('id')`) is its name; a whole body is its fields' dotted paths.
    const name = metadata?.type === 'body' ? [] : metadata?.data ? [metadata.data] : [];
    throw new ProblemException(
      problem(400, 'validation-failed', 'Request is not valid', {
        errors: parsed.error.issues.map((issue) => ({ in: location, path: [...name, ...issue.path].join('.'), message: issue.message })),
      }),
    );
  }
}
