import { randomUUID } from 'node:crypto';
import { BoxofficeApi, runningStack } from '@boxoffice/testing';

/**
 * Every public endpoint, as listed by the gateway's own OpenAPI document, is
 * sent bad input: no token, a malformed body, path ids that are not ids and
 * ids that do not exist. Each answer must be a 4xx problem+json: never a
 * 500, never a silent success.
 */
const api = new BoxofficeApi(runningStack().gatewayUrl);

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  hasBody: boolean;
}

async function operations(): Promise<Operation[]> {
  const document = await api.http.get<{ paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>> }>('/docs/openapi.json');
  return Object.entries(document.body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => ({ method: method.toUpperCase(), path, secured: (spec.security ?? []).length > 0, hasBody: spec.requestBody !== undefined })),
  );
}

function fill(path: string, id: string): string {
  return path.replace(/\{[^}]+\}/g, id);
}

function expectProblem(response: { status: number; headers: Headers }, what: string): void {
  expect({ what, status: response.status >= 400 && response.status < 500, type: response.headers.get('content-type') }).toEqual({
    what,
    status: true,
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
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), op.hasBody ? '{}' : undefined), `${op.method} ${op.path}`);
    }
  });

  it('refuses malformed JSON on every endpoint that takes a body', async () => {
    for (const op of all.filter((o) => o.hasBody)) {
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), '{"oops": ', admin), `${op.method} ${op.path}`);
    }
  });

  it('refuses bodies of the wrong types on every endpoint that takes a body', async () => {
    for (const op of all.filter((o) => o.hasBody)) {
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), JSON.stringify([1, 'two', { three: 3 }]), admin), `${op.method} ${op.path}`);
    }
  });

  it('refuses path ids that are not ids, and ids that do not exist', async () => {
    for (const op of all.filter((o) => o.path.includes('{'))) {
      expectProblem(await api.http.send(op.method, fill(op.path, 'not-an-id'), op.hasBody ? '{}' : undefined, admin), `${op.method} ${op.path} (bad id)`);
      expectProblem(await api.http.send(op.method, fill(op.path, randomUUID()), op.hasBody ? '{}' : undefined, admin), `${op.method} ${op.path} (unknown id)`);
    }
  });
});
