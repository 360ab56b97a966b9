import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../stack/paths.js';

/** The version the test command runs; `.ci/run` installs this one. */
export const SCHEMATHESIS_VERSION = '4.32.5';
export const SCHEMATHESIS_INSTALL = `python3 -m pip install schemathesis==${SCHEMATHESIS_VERSION}`;

const CONFIG = join(REPO_ROOT, 'test', 'api-fuzz', 'schemathesis.toml');

export interface FuzzOutcome {
  passed: number;
  failed: number;
}

/**
 * Schemathesis against the running gateway's published OpenAPI document
 * (test/api-fuzz/schemathesis.toml holds the settings and docs/adr/0020
 * says why): every operation is sent requests generated from its schemas,
 * valid and not, with an admin's token on the admin routes and a customer's
 * on the others, and every answer is checked against the document. Each
 * operation counts as one test, passed or failed; its output is printed as
 * it runs and its JUnit report is kept under the results folder.
 */
export async function fuzzApi(gatewayUrl: string, resultsDir: string, say: (line: string) => void): Promise<FuzzOutcome> {
  const installed = spawnSync('python3', ['-c', 'import schemathesis; print(schemathesis.__version__)'], { encoding: 'utf8' });
  const version = installed.status === 0 ? installed.stdout.trim() : undefined;
  if (version !== SCHEMATHESIS_VERSION) {
    say(`schemathesis ${SCHEMATHESIS_VERSION} is ${version ? `not installed (found ${version})` : 'not installed'}; .ci/run installs it with: ${SCHEMATHESIS_INSTALL}`);
    return { passed: 0, failed: 1 };
  }
  const junit = join(resultsDir, 'schemathesis.xml');
  const env = await fixtures(gatewayUrl);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      'python3',
      ['-c', 'import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())', '--config-file', CONFIG, 'run', `${gatewayUrl}/docs/openapi.json`, '--report', 'junit', '--report-junit-path', junit],
      // In the results folder, which each run starts empty: Schemathesis keeps its cache and Hypothesis's example
      // database in its working directory, and a run that replayed the last run's examples would not be the seed's.
      { cwd: resultsDir, stdio: 'inherit', env: { ...process.env, ...env, NO_COLOR: '1' } },
    );
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
    child.on('error', () => resolve(1));
  });
  const counted = existsSync(junit) ? countJunit(readFileSync(junit, 'utf8')) : undefined;
  // A run that failed without a report (a bad config, the document not loading) is one failure, not zero tests.
  if (!counted || (code !== 0 && counted.failed === 0)) return { passed: counted?.passed ?? 0, failed: Math.max(1, counted?.failed ?? 0) };
  return counted;
}

/**
 * Tokens, and things that exist for the path parameters to name: with only
 * generated ids, every read would be a 404 and no success body would ever be
 * checked against its schema. A venue, a published show, a draft show (for
 * publish and cancel) and an order of the customer's.
 */
async function fixtures(gatewayUrl: string): Promise<Record<string, string>> {
  const admin = await demoToken(gatewayUrl, 'admin');
  const customer = await demoToken(gatewayUrl, 'fuzz-customer');
  const post = async (path: string, token: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`fuzzing fixtures: POST ${path} answered ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, string>;
  };
  const venue = await post('/admin/venues', admin, { name: 'Fuzzed hall', sections: [{ code: 'A', rows: 2, seatsPerRow: 5, priceTier: 'STD' }] });
  const show = { venueId: venue.id, startsAt: '2030-01-01T20:00:00Z', priceTiers: [{ code: 'STD', priceMinor: 1000, currency: 'EUR' }] };
  const published = await post('/admin/shows', admin, { ...show, title: 'Fuzzed show' });
  await post(`/admin/shows/${published.id}/publish`, admin, undefined);
  const draft = await post('/admin/shows', admin, { ...show, title: 'Fuzzed draft' });
  const order = await post('/orders', customer, { showId: published.id, seatIds: ['A-1-1'] }, { 'idempotency-key': `fuzz-fixture-${published.id}` });
  return {
    BOXOFFICE_FUZZ_ADMIN_TOKEN: admin,
    BOXOFFICE_FUZZ_CUSTOMER_TOKEN: customer,
    BOXOFFICE_FUZZ_VENUE_ID: venue.id!,
    BOXOFFICE_FUZZ_SHOW_ID: published.id!,
    BOXOFFICE_FUZZ_DRAFT_SHOW_ID: draft.id!,
    BOXOFFICE_FUZZ_ORDER_ID: order.orderId!,
  };
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
