import { z } from 'zod';

/** The zod schema that validates a body also documents it: OpenAPI 3.0 JSON Schema from the same source. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Record<string, unknown>;
  return json;
}
