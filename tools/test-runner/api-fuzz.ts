import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../stack/paths.js';

/** The version the test command runs; `.ci/run` installs this one. */
export const SCHEMATHESIS_VERSION = '4.32.5';
export const SCHEMATHESIS_INSTALL = `python3 -m pip install schemathesis==${SCHEMATHESIS_VERSION}`;

const CONFIG = join(REPO_ROOT, 'test', 'api-fuzz', 'schemathesis.toml');
const STATEFUL_CONFIG = join(REPO_ROOT, 'test', 'api-fuzz', 'stateful.toml');

export interface FuzzOutcome {
  passed: number;
  failed: number;
}

/**
 * Schemathesis against the running gateway's published OpenAPI document
 * (test/api-fuzz/*.toml hold the settings; docs/adr/0020 and 0047 say why):
 * every operation is sent requests generated from its schemas, valid and
 * not, with an admin's token on the admin routes and a customer's on the
 * others, and every answer is checked against the document. Two runs: the
 * unit phases with path and body ids pinned to seeded data (each operation
 * one test, passed or failed), then the stateful phase, which follows the
 * document's links from what it creates itself (one test). Output is printed
 * as it runs; the JUnit reports are kept under the results folder.
 */
export async function fuzzApi(gatewayUrl: string, resultsDir: string, say: (line: string) => void): Promise<FuzzOutcome> {
  const installed = spawnSync('python3', ['-c', 'import schemathesis; print(schemathesis.__version__)'], { encoding: 'utf8' });
  const version = installed.status === 0 ? installed.stdout.trim() : undefined;
  if (version !== SCHEMATHESIS_VERSION) {
    say(`schemathesis ${SCHEMATHESIS_VERSION} is ${version ? `not installed (found ${version})` : 'not installed'}; .ci/run installs it with: ${SCHEMATHESIS_INSTALL}`);
    return { passed: 0, failed: 1 };
  }
  const env = await fixtures(gatewayUrl, say);
  const unit = await schemathesisRun(gatewayUrl, resultsDir, env, CONFIG, 'schemathesis.xml', []);
  say(`schemathesis unit phases: ${unit.passed} operations passed, ${unit.failed} failed`);
  const stateful = await schemathesisRun(gatewayUrl, resultsDir, env, STATEFUL_CONFIG, 'schemathesis-stateful.xml', ['--phases', 'stateful']);
  // The stateful phase is one test however many scenarios it ran: it passed or it found something.
  const statefulOk = stateful.failed === 0;
  say(`schemathesis stateful phase: ${statefulOk ? 'passed' : 'FAILED'}`);
  return { passed: unit.passed + (statefulOk ? 1 : 0), failed: unit.failed + (statefulOk ? 0 : 1) };
}

async function schemathesisRun(gatewayUrl: string, resultsDir: string, env: Record<string, string>, config: string, report: string, extra: string[]): Promise<FuzzOutcome> {
  const junit = join(resultsDir, report);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      'python3',
      ['-c', 'import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())', '--config-file', config, 'run', `${gatewayUrl}/docs/openapi.json`, ...extra, '--report', 'junit', '--report-junit-path', junit],
      // In the results folder, which each run starts empty: Schemathesis keeps its cache and Hypothesis's example
      // database in its working directory, and a run that replayed the last run's examples would not be the seed's.
      { cwd: resultsDir, stdio: 'inherit', env: { ...process.env, ...env, NO_COLOR: '1' } },
    );
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
    child.on('error', () => resolve(1));
  });
  const counted = existsSync(junit) ? countJunit(readFileSync(junit, 'utf8')) : undefined;
  // A run that failed without a failed test in its report (a bad config, the document not loading, or a
  // warning of the kinds the config fails on: missing test data, a document looser than the validation)
  // is one failure, not zero.
  if (!counted || (code !== 0 && counted.failed === 0)) return { passed: counted?.passed ?? 0, failed: Math.max(1, counted?.failed ?? 0) };
  return counted;
}

/** A trace id in the W3C format, for when the stack runs untraced (the trace route then answers 503). */
const UNTRACED = '0af7651916cd43dd8448eb211c80319c';

/**
 * Tokens, and things that exist for the path parameters and body ids to
 * name: with only generated ids, every read would be a 404 and no success
 * body would ever be checked against its schema. A venue, a published show,
 * a draft show (for publish and cancel), a confirmed order of the
 * customer's, and the trace of its checkout once the trace backend has it.
 */
async function fixtures(gatewayUrl: string, say: (line: string) => void): Promise<Record<string, string>> {
  const admin = await demoToken(gatewayUrl, 'admin');
  const customer = await demoToken(gatewayUrl, 'fuzz-customer');
  const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fuzzing fixtures: ${method} ${path} answered ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const venue = await call('POST', '/admin/venues', admin, { name: 'Fuzzed hall', sections: [{ code: 'A', rows: 2, seatsPerRow: 5, priceTier: 'STD' }] });
  const show = { venueId: venue.id, startsAt: '2030-01-01T20:00:00Z', priceTiers: [{ code: 'STD', priceMinor: 1000, currency: 'EUR' }] };
  const published = await call('POST', '/admin/shows', admin, { ...show, title: 'Fuzzed show' });
  await call('POST', `/admin/shows/${String(published.id)}/publish`, admin);
  const draft = await call('POST', '/admin/shows', admin, { ...show, title: 'Fuzzed draft' });
  // Inventory puts the show's seats on sale when it consumes the publication: an order placed before would be rejected.
  await eventually(`${gatewayUrl}/shows/${String(published.id)}/seats`, undefined, (status) => status === 200);
  const order = await call('POST', '/orders', customer, { showId: published.id, seatIds: ['A-1-1'] }, { 'idempotency-key': `fuzz-fixture-${String(published.id)}`, prefer: 'wait=20' });
  if (order.status !== 'confirmed') say(`fuzzing fixtures: the seeded order settled ${String(order.status)} (${String(order.rejectionReason)}), not confirmed`);
  const details = await call('GET', `/orders/${String(order.orderId)}`, customer);
  const traceId = typeof details.traceId === 'string' ? details.traceId : UNTRACED;
  // Spans reach the backend a second or so after they end; without a backend the route answers 503 at once.
  await eventually(`${gatewayUrl}/admin/ops/traces/${traceId}`, admin, (status) => status !== 404);
  return {
    BOXOFFICE_FUZZ_ADMIN_TOKEN: admin,
    BOXOFFICE_FUZZ_CUSTOMER_TOKEN: customer,
    BOXOFFICE_FUZZ_VENUE_ID: String(venue.id),
    BOXOFFICE_FUZZ_SHOW_ID: String(published.id),
    BOXOFFICE_FUZZ_DRAFT_SHOW_ID: String(draft.id),
    BOXOFFICE_FUZZ_ORDER_ID: String(order.orderId),
    BOXOFFICE_FUZZ_TRACE_ID: traceId,
  };
}

/** Asks until the answer's status is the one awaited, for at most 30 s (what it waits for is asynchronous: a Kafka consumer, a span exporter). */
async function eventually(url: string, token: string | undefined, done: (status: number) => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    await response.arrayBuffer();
    if (done(response.status)) return;
    if (Date.now() > deadline) throw new Error(`fuzzing fixtures: ${url} still answers ${response.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function demoToken(gatewayUrl: string, username: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/auth/demo-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) });
  if (!response.ok) throw new Error(`demo token for ${username}: ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Per operation (a JUnit test case): failed when it has a failure or an error element. */
export function countJunit(xml: string): FuzzOutcome {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  const failed = cases.filter((testCase) => /<(failure|error)\b/.test(testCase)).length;
  return { passed: cases.length - failed, failed };
}
