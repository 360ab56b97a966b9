import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ProblemDetails } from '@boxoffice/contracts';
import { PROBLEM_CONTENT_TYPE } from '@boxoffice/platform';

/**
 * The zod schemas that validate requests and shape answers also document
 * them: OpenAPI 3.0 JSON Schema from the same source, never a copy. Requests
 * are documented as zod reads them (`input`), answers as the code builds them
 * (`output`: an object lists every property it has, and no other).
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as Record<string, unknown>;
  return json;
}

const components = new Map<string, Record<string, unknown>>();

/** A response schema kept once under `components.schemas` and referenced from every answer that has it. */
function component(name: string, schema: z.ZodType): { $ref: string } {
  components.set(name, openApiSchema(schema, 'output'));
  return { $ref: `#/components/schemas/${name}` };
}

/** Every named answer schema the decorators below used: main.ts adds them to the document. */
export function schemaComponents(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(components);
}

const LOCATION_HEADER = { Location: { description: 'Where to read the order', schema: { type: 'string' } } };

/**
 * An OpenAPI link (3.0 §4.7.20): what an answer's body gives the next call,
 * by the target's operation id (`Controller_method`, as Nest names them).
 * `parameters` maps the target's parameters, `requestBody` fields of its body,
 * to runtime expressions such as `$response.body#/id`. A generated client, and
 * Schemathesis's stateful phase, follow them from create to read to act.
 */
export interface ApiLink {
  operationId: string;
  description: string;
  parameters?: Record<string, string>;
  requestBody?: Record<string, unknown>;
}

/** A successful answer: its status, a JSON body of the named zod schema, what it means, and the calls it leads to. */
export function ApiAnswer(status: number, name: string, schema: z.ZodType, description: string, options: { location?: boolean; links?: Record<string, ApiLink> } = {}) {
  return ApiResponse({
    status,
    description,
    content: { 'application/json': { schema: component(name, schema) } },
    ...(options.location ? { headers: LOCATION_HEADER } : {}),
    ...(options.links ? { links: options.links } : {}),
  });
}

/** A link to the operation that takes this answer's `id` (or another body field) as its path parameter. */
export function linkById(operationId: string, description: string, field = 'id', parameter = 'id'): ApiLink {
  return { operationId, description, parameters: { [parameter]: `$response.body#/${field}` } };
}

const PROBLEM_MEANINGS: Record<number, string> = {
  400: 'problem+json `validation-failed` (each refused value in `errors`, with where it was), `malformed-json`, `invalid-utf8`',
  401: 'problem+json `unauthorized`: no bearer token, or an invalid or expired one; `WWW-Authenticate` says which (`error="invalid_token"` with an `error_description`)',
  403: 'problem+json `forbidden`: the token’s role may not do this',
  404: 'problem+json `not-found`',
  409: 'problem+json: the resource’s state is in the way (`concurrent-change`, `idempotency-key-reused`, `order-not-refundable`, `show-not-draft`)',
  413: 'problem+json `payload-too-large`',
  415: 'problem+json `unsupported-media-type` or `unsupported-encoding`: send the body as UTF-8 application/json',
  422: 'problem+json: a business rule refuses it (the `code` names the rule)',
  502: 'problem+json `bad-upstream-reply`: the context behind this route answered something other than JSON',
  503: 'problem+json `unavailable`: the context behind this route (or its database) cannot answer now; `Retry-After` says when to retry',
};

/** Error answers, each an `application/problem+json` body of the one ProblemDetails schema. */
export function ApiProblems(...statuses: number[]) {
  const schema = component('ProblemDetails', ProblemDetails);
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_MEANINGS[status] ?? 'problem+json',
        content: { [PROBLEM_CONTENT_TYPE]: { schema } },
        ...(status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string' } } } } : {}),
        ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750): with a token sent, `error="invalid_token"` and whether it expired', schema: { type: 'string' } } } } : {}),
      }),
    ),
  );
}

/** A route answered by a context behind the gateway: its unavailability, or a reply that is not a problem. */
export const ApiUpstreamProblems = () => ApiProblems(502, 503);

/** One request part as documented, with the zod schema that validates it. */
export interface DocumentedInput {
  where: string;
  validation: z.ZodType;
  documented: Record<string, unknown>;
}

const inputs: DocumentedInput[] = [];

/** The request schema the document shows for this validation, remembered so a test can hold the two equal. */
function documentedInput(where: string, validation: z.ZodType): Record<string, unknown> {
  const documented = openApiSchema(validation);
  inputs.push({ where, validation, documented });
  return documented;
}

/** Every body, path, header and query schema the decorators below documented. */
export function documentedInputs(): readonly DocumentedInput[] {
  return inputs;
}

/** A JSON body: documented from the zod schema that validates it, and the answers a body can get. */
export function ApiJsonBody(schema: z.ZodType) {
  return applyDecorators(ApiBody({ schema: documentedInput('body', schema) }), ApiProblems(400, 413, 415));
}

/** A path parameter validated by this zod schema; a value it refuses is a 400. */
export function ApiPathParam(name: string, schema: z.ZodType, description?: string) {
  return applyDecorators(ApiParam({ name, required: true, schema: documentedInput(`path ${name}`, schema), description }), ApiProblems(400));
}

/** A request header validated by this zod schema. */
export function ApiHeaderParam(name: string, schema: z.ZodType, description: string, required: boolean) {
  return ApiHeader({ name, required, description, schema: documentedInput(`header ${name}`, schema) });
}

/** An optional query parameter validated by this zod schema; a value it refuses is a 400. */
export function ApiQueryParam(name: string, schema: z.ZodType, description: string) {
  return applyDecorators(ApiQuery({ name, required: false, description, schema: documentedInput(`query ${name}`, schema) }), ApiProblems(400));
}
