import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv } from 'ajv';
import type { z } from 'zod';
import { gatewayDocument } from './gateway-document.js';

/**
 * The gateway's published OpenAPI document against the code it is built
 * from. A client, or a fuzzer, trusts the document: a value it admits that
 * the validation refuses is a 400 for a request the client had every reason
 * to think valid (ADR 0047), and a link that names no operation leads nowhere.
 */
let document: OpenAPIObject;
let inputs: readonly { where: string; validation: z.ZodType; documented: Record<string, unknown> }[];

beforeAll(async () => {
  document = await gatewayDocument();
  // After the document: building it imports the controllers, whose decorators record what they document.
  inputs = (await import('../../apps/gateway/src/interface/http/openapi.js')).documentedInputs();
});

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; maxLength?: number; minLength?: number; minimum?: number; maximum?: number; enum?: unknown[] };
type Operation = { operationId: string; parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } };

function operations(): Map<string, Operation> {
  return new Map(
    Object.values(document.paths).flatMap((methods) => Object.values(methods as Record<string, Operation>).filter((op) => typeof op === 'object' && op !== null && 'operationId' in op).map((op) => [op.operationId, op] as const)),
  );
}

describe("the published document's links", () => {
  const links = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { responses?: Record<string, { links?: Record<string, { operationId: string; parameters?: Record<string, string>; requestBody?: Record<string, unknown> }> }> }>).flatMap(([method, op]) =>
        Object.entries(op.responses ?? {}).flatMap(([status, answer]) => Object.entries(answer.links ?? {}).map(([name, link]) => ({ from: `${method.toUpperCase()} ${path} ${status} ${name}`, link }))),
      ),
    );

  it('chains create, read and act: venue to show, show to seats, seats to order, order to refund and trace', () => {
    const targets = links().map(({ link }) => link.operationId);
    expect(new Set(targets)).toEqual(
      new Set([
        'AdminCatalogController_venue',
        'AdminCatalogController_scheduleShow',
        'AdminCatalogController_publishShow',
        'AdminCatalogController_cancelShow',
        'AdminCatalogController_showOrders',
        'ShowsController_show',
        'ShowsController_seats',
        'OrdersController_place',
        'OrdersController_get',
        'OrdersController_refund',
        'TracesController_trace',
      ]),
    );
  });

  it('names only operations of the document, and only parameters and body fields they have', () => {
    const byId = operations();
    const wrong = links().flatMap(({ from, link }) => {
      const target = byId.get(link.operationId);
      if (!target) return [`${from}: no operation ${link.operationId}`];
      const parameters = new Set((target.parameters ?? []).map((p) => p.name));
      const fields = new Set(Object.keys(target.requestBody?.content['application/json']?.schema.properties ?? {}));
      return [
        ...Object.keys(link.parameters ?? {}).filter((name) => !parameters.has(name)).map((name) => `${from}: ${link.operationId} has no parameter ${name}`),
        ...Object.keys(link.requestBody ?? {}).filter((name) => !fields.has(name)).map((name) => `${from}: ${link.operationId}'s body has no field ${name}`),
      ];
    });
    expect(wrong).toEqual([]);
  });
});

/** Each leaf (a string, a number) of a request schema, with the zod schema that validates it there. */
function leaves(validation: z.ZodType, documented: JsonSchema, path: string): { path: string; validation: z.ZodType; documented: JsonSchema }[] {
  const def = (validation as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType } } })._zod.def;
  if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) return leaves(def.innerType, documented, path);
  if (def.type === 'object' && def.shape) return Object.entries(def.shape).flatMap(([key, field]) => leaves(field, documented.properties?.[key] ?? {}, `${path}.${key}`));
  if (def.type === 'array' && def.element) return leaves(def.element, documented.items ?? {}, `${path}[]`);
  return [{ path, validation, documented }];
}

/** Values at the edges of what a leaf admits, and the usual suspects: blank, padded, control and non-ASCII white space, odd dates and ids. */
function probes(documented: JsonSchema): unknown[] {
  if (documented.type === 'integer' || documented.type === 'number') {
    const { minimum = 0, maximum = 100 } = documented;
    return [minimum - 1, minimum, minimum + 0.5, maximum, maximum + 1, 0, -1, 1e21];
  }
  const max = documented.maxLength ?? 40;
  const min = documented.minLength ?? 1;
  return [
    '', ' ', '   ', '\t', '\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u001c', '\u0085', ' a ', 'a', 'A1', 'a\u0000b', 'é',
    'a'.repeat(min), 'a'.repeat(Math.max(0, min - 1)), 'a'.repeat(max), 'a'.repeat(max + 1), ` ${'a'.repeat(max)}`, `${'a'.repeat(max - 1)} `,
    '2027-03-01T20:00:00Z', '2027-03-01t20:00:00z', '2027-03-01T20:00:00.5+01:00', '2027-03-01T20:00Z', '2027-06-30T23:59:60Z', '2027-02-29T20:00:00Z',
    '01960000-0000-7000-8000-000000000001', '01960000-0000-7000-8000-00000000000A', '01960000-0000-9000-8000-000000000001', '00000000-0000-0000-0000-000000000000',
    '0af7651916cd43dd8448eb211c80319c', '00000000000000000000000000000000',
    'EUR', 'eur', 'draft', 'published', 'fuzz-key-0001', 'key with spaces', 'wait=5',
    ...(documented.enum ?? []),
  ];
}

describe('the documented request schemas', () => {
  const ajv = new Ajv({ strict: false, validateFormats: false });

  it('are every body, path, header and query schema of the document', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(10);
    expect(inputs.map((i) => i.where)).toEqual(expect.arrayContaining(['body', 'path id', 'path traceId', 'header Idempotency-Key', 'query limit', 'query status']));
  });

  it('admit exactly what the validation admits, value by value (an unpaired surrogate aside: JSON Schema cannot say it)', () => {
    const disagreements = inputs.flatMap(({ where, validation, documented }) =>
      leaves(validation, documented, where).flatMap((leaf) => {
        const admits = ajv.compile(leaf.documented);
        return probes(leaf.documented)
          .filter((value) => admits(value) !== leaf.validation.safeParse(value).success)
          .map((value) => `${leaf.path}: ${JSON.stringify(value)} is ${admits(value) ? 'admitted by the document, refused by the validation' : 'refused by the document, admitted by the validation'}`);
      }),
    );
    expect([...new Set(disagreements)]).toEqual([]);
  });
});
