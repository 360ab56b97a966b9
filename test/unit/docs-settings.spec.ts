import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { currentDocuments, listedSettings, markdownFiles, namedSettings, npmScriptsNamed, root, settingsReadUnder } from './docs-check.js';

/**
 * What a reader types and sets, read against what the code takes:
 * - every npm script a document tells them to run is in package.json;
 * - an app's README lists as its settings only what that app (or the libs
 *   it is built on) reads from its environment, and every setting an app
 *   reads is documented: in its README, or with the settings every app
 *   shares in docs/deployment.md and docs/observability.md;
 * - the launcher's table in README.md names what `npm start` reads, all of it.
 * docs-paths.spec.ts checks that a named setting is somewhere in the code;
 * this checks that it is read where the document says.
 */
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const apps = readdirSync(join(root, 'apps')).filter((app) => readdirSync(join(root, 'apps', app)).includes('README.md'));
const SHARED_SETTINGS_DOCS = ['docs/deployment.md', 'docs/observability.md'];
const libs = readdirSync(join(root, 'libs'))
  .filter((lib) => lib !== 'testing')
  .map((lib) => `libs/${lib}/src`);

describe('what the documents tell a reader to run and set', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

  it('finds what to check: the scripts, the settings each app reads and each README lists', () => {
    expect(npmScriptsNamed('`npm start`, then `npm run test:faults -- x` and `npm run --silent build`; `npm test -- --unit`')).toEqual(['start', 'test:faults', 'build', 'test']);
    expect([...settingsReadUnder('apps/notifications/src')]).toEqual(expect.arrayContaining(['WEBHOOK_SIGNING_SECRET', 'DELIVERY_MAX_ATTEMPTS', 'SMTP_URL']));
    expect([...settingsReadUnder(...libs)]).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'DB_SHARDS', 'CALLER_TOKEN_PUBLIC_KEYS', 'DB_WRITE_TIMEOUT_MS']));
    expect([...settingsReadUnder('tools/stack')]).toEqual(expect.arrayContaining(['BOXOFFICE_PORT_BASE', 'BOXOFFICE_TRACING']));
    expect(listedSettings(read('apps/notifications/README.md'))).toEqual(expect.arrayContaining(['WEBHOOK_SIGNING_SECRET', 'SMTP_URL', 'MAILBOX_DIR', 'DELIVERY_RETRY_MAX_MS']));
    expect(listedSettings(read('apps/gateway/README.md'))).toEqual(expect.arrayContaining(['CATALOG_URLS', 'JWT_SECRET', 'CALLER_TOKEN_SIGNING_KEY']));
    expect(listedSettings(read('README.md'))).toEqual(expect.arrayContaining(['BOXOFFICE_SHARDS', 'BOXOFFICE_TRACING']));
  });

  it('finds a drifted document: a script that is not there, a setting its app does not read', () => {
    const drifted = [
      'Run `npm run check-invariant` after `npm start`.',
      '## Settings',
      '`ORDER_HOLD_SECONDS` and `ORDER_HOLD_SECS`.',
      '',
      '| setting | default | meaning |',
      '|---|---|---|',
      '| `PAYMENT_LATENCY_MS` | `0` | with `CONSUMER_BATCH_SIZE=1` |',
      '## Events',
      '`NOT_A_SETTING_HERE` is outside the section.',
    ].join('\n');
    expect(npmScriptsNamed(drifted).filter((script) => !scripts.includes(script))).toEqual(['check-invariant']);
    expect(listedSettings(drifted)).toEqual(['ORDER_HOLD_SECONDS', 'ORDER_HOLD_SECS', 'PAYMENT_LATENCY_MS']);
    const ordering = new Set([...settingsReadUnder('apps/ordering/src'), ...settingsReadUnder(...libs)]);
    expect(listedSettings(drifted).filter((name) => !ordering.has(name))).toEqual(['ORDER_HOLD_SECS', 'PAYMENT_LATENCY_MS']);
  });

  it.each(markdownFiles().map((f) => [relative(root, f), f]))('%s names only npm scripts that package.json has', (_, file) => {
    expect(npmScriptsNamed(readFileSync(file, 'utf8')).filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it.each(apps)('apps/%s/README.md lists as settings only what the app reads', (app) => {
    const reads = new Set([...settingsReadUnder(`apps/${app}/src`), ...settingsReadUnder(...libs)]);
    expect(listedSettings(read(`apps/${app}/README.md`)).filter((name) => !reads.has(name))).toEqual([]);
  });

  it.each(apps)('every setting apps/%s reads is documented, in its README or with the shared settings', (app) => {
    const documented = new Set([read(`apps/${app}/README.md`), ...SHARED_SETTINGS_DOCS.map(read)].flatMap((text) => [...namedSettings(text)]));
    expect([...settingsReadUnder(`apps/${app}/src`)].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('every setting the libs read for every app is documented', () => {
    const documented = new Set(currentDocuments().flatMap((file) => [...namedSettings(readFileSync(file, 'utf8'))]));
    expect([...settingsReadUnder(...libs)].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('README.md’s table of the launcher’s variables names what npm start reads, and all of it', () => {
    const listed = listedSettings(read('README.md'));
    const launcher = settingsReadUnder('tools/stack');
    expect(listed.filter((name) => !launcher.has(name) && !settingsReadUnder('tools/test-runner').has(name))).toEqual([]);
    expect([...launcher].filter((name) => name.startsWith('BOXOFFICE_') && !listed.includes(name))).toEqual([]);
  });
});
