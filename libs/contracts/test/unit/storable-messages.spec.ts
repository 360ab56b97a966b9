import { z } from 'zod';
import { EnvelopeSchema, MessageFlows } from '@boxoffice/contracts';

/**
 * A message on a topic is input from outside too: any Kafka client may write
 * it. Every free string in the envelope and in each contract's payload is
 * `Text` (no NUL, which Postgres cannot store; no unpaired surrogate, which it
 * would store changed), so a consumer refuses such a message at the schema and
 * dead-letters it with that reason, instead of failing on its database until
 * its retries run out. A string with a format (UUID, e-mail, URL, date-time),
 * an enum, a constant or a pattern of its own (a currency code) admits
 * neither already.
 */
type JsonSchema = { type?: string | string[]; format?: string; pattern?: string; enum?: unknown[]; const?: unknown; [key: string]: unknown };

function freeStringsWithoutText(schema: unknown, path: string, found: string[]): string[] {
  if (Array.isArray(schema)) schema.forEach((item, i) => freeStringsWithoutText(item, `${path}[${i}]`, found));
  else if (schema && typeof schema === 'object') {
    const node = schema as JsonSchema;
    const isString = node.type === 'string' || (Array.isArray(node.type) && node.type.includes('string'));
    if (isString && node.format === undefined && node.enum === undefined && node.const === undefined && node.pattern === undefined) found.push(path || '(root)');
    for (const [key, value] of Object.entries(node)) if (typeof value === 'object') freeStringsWithoutText(value, `${path}.${key}`, found);
  }
  return found;
}

const textless = (schema: z.ZodType) => freeStringsWithoutText(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), '', []);

describe('messages from a topic', () => {
  it('take every free string of the envelope as Text', () => {
    expect(textless(EnvelopeSchema)).toEqual([]);
  });

  it.each(MessageFlows.map((flow) => [flow.contract.topic, flow.contract.payload] as const))('take every free string of %s as Text', (_topic, payload) => {
    expect(textless(payload)).toEqual([]);
  });

  it('refuse a NUL in a seat id or a correlation id', () => {
    const flow = MessageFlows.find((f) => f.contract.topic === 'ordering.order-confirmed.v1')!;
    const money = { amountMinor: 100, currency: 'EUR' };
    const confirmed = { orderId: '01960000-0000-7000-8000-000000000001', customerId: 'alice', customerEmail: 'a@example.com', showId: '01960000-0000-7000-8000-000000000002', seats: [{ seatId: 'A-1-1', price: money }], total: money, callbackUrl: null };
    expect(flow.contract.payload.safeParse(confirmed).success).toBe(true);
    expect(flow.contract.payload.safeParse({ ...confirmed, seats: [{ seatId: 'A-1\u0000', price: money }] }).success).toBe(false);
    const envelope = { messageId: '01960000-0000-7000-8000-000000000003', type: 'x', schemaVersion: 1, aggregateId: 'a', aggregateVersion: 1, correlationId: 'c', causationId: null, producer: { service: 's', instance: 'i' }, producedAt: '2026-12-06T00:00:00Z', payload: {} };
    expect(EnvelopeSchema.safeParse(envelope).success).toBe(true);
    expect(EnvelopeSchema.safeParse({ ...envelope, correlationId: 'c\u0000' }).success).toBe(false);
    expect(EnvelopeSchema.safeParse({ ...envelope, aggregateId: '\ud800' }).success).toBe(false);
  });
});
