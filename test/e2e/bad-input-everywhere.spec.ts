import { randomUUID } from 'node:crypto';
import { BoxofficeApi, runningStack } from '@boxoffice/testing';

/**
 * Every public endpoint, as listed by the gateway's own OpenAPI document, is
 * sent bad input: no token, a malformed body, path ids that are not ids and
 * ids that do not exist. Each answer must be a 4xx problem+json that the
 * document lists for that operation: never a 500, never a silent success.
 * The document itself lists, for every operation, each status it can answer
 * with a schema for its body.
 */
const api = new BoxofficeApi(runningStack().gatewayUrl);

interface Response {
  content?: Record<string, { schema?: { $ref?: string; type?: string; properties?: Record<string, { type?: string; enum?: string[] }> } }>;
}

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  hasBody: boolean;
  responses: Record<string, Response>;
}

async function operations(): Promise<Operation[]> {
  const document = await api.http.get<{ paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown; responses: Record<string, Response> }>> }>('/docs/openapi.json');
  return Object.entries(document.body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => ({
      method: method.toUpperCase(),
      path,
      secured: (spec.security ?? []).length > 0,
      hasBody: spec.requestBody !== undefined,
      responses: spec.responses,
    })),
  );
}

/** The operations this spec sends bad input to: the API, not the probes every app answers. */
const isApi = (op: Operation) => !op.path.startsWith('/health/') && op.path !== '/metrics';

function fill(path: string, id: string): string {
  return path.replace(/\{[^}]+\}/g, id);
}

/** A 4xx problem+json whose status the operation's entry in the document lists. */
function expectProblem(response: { status: number; headers: Headers }, what: string, op: Operation): void {
  expect({ what, status: response.status >= 400 && response.status < 500, documented: String(response.status) in op.responses, type: response.headers.get('content-type') }).toEqual({
    what,
    status: true,
    documented: true,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
}

describe('bad input at every public endpoint', () => {
  let all: Operation[];
  let admin: Record<string, string>;

  beforeAll(async () => {
    all = await operations();
    admin = { ...(await api.authHeaders('admin')), 'idempotency-key': randomUUID() };
  });

  it('finds the endpoints in the OpenAPI document', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.filter((o) => o.secured).length).toBeGreaterThanOrEqual(7);
    expect(all.filter((o) => o.hasBody).length).toBeGreaterThanOrEqual(4);
  });

  it('refuses every secured endpoint without a token', async () => {
    for (const op of all.filter((o) => o.secured)) {
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), op.hasBody ? '{}' : undefined), `${op.method} ${op.path}`, op);
    }
  });

  it('refuses malformed JSON on every endpoint that takes a body', async () => {
    for (const op of all.filter((o) => o.hasBody)) {
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), '{"oops": ', admin), `${op.method} ${op.path}`, op);
    }
  });

  it('refuses bodies of the wrong types on every endpoint that takes a body', async () => {
    for (const op of all.filter((o) => o.hasBody)) {
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), JSON.stringify([1, 'two', { three: 3 }]), admin), `${op.method} ${op.path}`, op);
    }
  });

  it('refuses path ids that are not ids, and ids that do not exist', async () => {
    for (const op of all.filter((o) => o.path.includes('{'))) {
      expectProblem(await api.http.send(op.method, fill(op.path, 'not-an-id'), op.hasBody ? '{}' : undefined, admin), `${op.method} ${op.path} (bad id)`, op);
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), op.hasBody ? '{}' : undefined, admin), `${op.method} ${op.path} (unknown id)`, op);
    }
  });

  it('refuses a NUL character in every string field of every body, and in every path parameter', async () => {
    // Bodies otherwise valid, so the NUL is what is refused.
    const section = { code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'S' };
    const bodies: Record<string, unknown> = {
      '/admin/venues': { name: 'Hall\u0000', sections: [section] },
      '/admin/shows': { venueId: randomUUID(), title: 'Show\u0000', startsAt: '2027-03-01T20:00:00Z', priceTiers: [{ code: 'S', priceMinor: 1, currency: 'EUR' }] },
      '/orders': { showId: randomUUID(), seatIds: ['A-1-1\u0000'] },
      '/auth/demo-token': { username: 'alice\u0000' },
    };
    for (const op of all.filter((o) => o.hasBody)) {
      expect({ op: op.path, body: op.path in bodies }).toEqual({ op: op.path, body: true });
      const response = await api.http.send<{ code: string }>(op.method, op.path, JSON.stringify(bodies[op.path]), { ...admin, 'idempotency-key': randomUUID() });
      expectProblem(response, `${op.method} ${op.path} (NUL in body)`, op);
      expect({ op: op.path, code: response.body.code }).toEqual({ op: op.path, code: 'validation-failed' });
    }
    for (const op of all.filter((o) => o.path.includes('{'))) {
      expectProblem(await api.http.send(op.method, fill(op.path, 'a%00b'), op.hasBody ? '{}' : undefined, admin), `${op.method} ${op.path} (NUL in path)`, op);
    }
  });

  it('documents every answer: a JSON body schema for each success (or each event of a stream), the problem schema for each error', () => {
    const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
    for (const op of all.filter(isApi)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const what = `${op.method} ${op.path} ${status}`;
        const stream = response.content?.['text/event-stream'];
        // A server-sent event stream (ADR 0033) is described event by event: its name and its data.
        if (status.startsWith('2') && stream) expect({ what, event: stream.schema?.properties?.event, data: stream.schema?.properties?.data }).toEqual({ what, event: expect.objectContaining({ enum: expect.any(Array) }), data: expect.objectContaining({ type: 'string' }) });
        else if (status.startsWith('2')) expect({ what, schema: response.content?.['application/json']?.schema }).toEqual({ what, schema: expect.objectContaining({ $ref: expect.any(String) }) });
        else expect({ what, content: response.content }).toEqual({ what, content: problem });
      }
    }
  });

  it('documents the statuses each kind of operation can answer', () => {
    const lists = (op: Operation, statuses: string[]) => expect({ op: `${op.method} ${op.path}`, statuses: statuses.filter((s) => s in op.responses) }).toEqual({ op: `${op.method} ${op.path}`, statuses });
    for (const op of all.filter(isApi)) {
      expect({ op: `${op.method} ${op.path}`, success: Object.keys(op.responses).some((s) => s.startsWith('2')) }).toEqual({ op: `${op.method} ${op.path}`, success: true });
      if (op.secured) lists(op, ['401', '403']);
      if (op.hasBody) lists(op, ['400', '413', '415']);
      if (op.path.includes('{')) lists(op, ['400', '404']);
      if (op.path !== '/auth/demo-token') lists(op, ['502', '503']);
    }
  });
});
