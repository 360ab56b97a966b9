import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, resolveFromRepo } from '../stack/paths.js';
import { startStack, type RunningStack } from '../stack/stack.js';
import { fuzzApi } from './api-fuzz.js';
import { startStackControl } from './stack-control-server.js';

/**
 * `npm test`: static checks, unit tests, then integration and end-to-end
 * tests against a real stack (Postgres shard clusters, a Kafka broker, every
 * app) that this command starts in its own state folder and ports, and stops
 * at the end whatever happens. Ends with a plain `N passed, N failed` line.
 *
 * Between the end-to-end tests and the failover, schemathesis fuzzes the
 * gateway from its published OpenAPI document (tools/test-runner/api-fuzz.ts).
 *
 * Arguments: `--unit` (static checks and unit tests only); `--faults` (the
 * fault suite instead, test/faults: docs/reliability.md); anything else is
 * passed to jest (e.g. a test path pattern), and then the fuzzing is left out
 * unless `--fuzz` is among them.
 */
const root = REPO_ROOT;
const resultsDir = join(root, '.boxoffice', 'test-results');

interface Tally {
  passed: number;
  failed: number;
}

export async function runTests(args: string[]): Promise<void> {
  if (args.includes('--faults')) return runFaultSuite(args.filter((a) => a !== '--faults'));
  const unitOnly = args.includes('--unit');
  const fuzzAnyway = args.includes('--fuzz');
  const jestArgs = args.filter((a) => a !== '--unit' && a !== '--fuzz');
  const tally: Tally = { passed: 0, failed: 0 };
  const startedAt = Date.now();
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  for (const [name, command, commandArgs] of [
    ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['typecheck (storefront pages)', 'npx', ['tsc', '-p', 'apps/web/ui', '--noEmit']],
    ['lint', 'npx', ['eslint', '.']],
    ['architecture rules', 'npx', ['depcruise', 'apps', 'libs', 'tools', '--config', '.dependency-cruiser.cjs']],
  ] as const) {
    say(`${name}…`);
    const ok = (await run(command, [...commandArgs])) === 0;
    count(tally, ok ? 1 : 0, ok ? 0 : 1);
    say(`${name}: ${ok ? 'ok' : 'FAILED'}`);
  }

  say('unit tests…');
  await jest(['--selectProjects', 'unit', '--passWithNoTests', ...jestArgs], 'unit', tally);

  if (!unitOnly) {
    let stack: RunningStack | undefined;
    // Resolved as the launcher resolves it: an absolute BOXOFFICE_TEST_STATE_DIR stays absolute.
    const stateDir = resolveFromRepo(process.env.BOXOFFICE_TEST_STATE_DIR ?? '.boxoffice/test');
    try {
      say('starting a fresh stack for integration and end-to-end tests…');
      rmSync(stateDir, { recursive: true, force: true });
      stack = await startWhenPortsFree(() =>
        startStack({
        stateDir,
        portBase: Number(process.env.BOXOFFICE_TEST_PORT_BASE ?? 27000),
        // Two replicas of the saga's busiest contexts: every test also exercises sharing the work.
        appReplicas: { inventory: 2, ordering: 2 },
        // Three nodes per shard, as CP shards need: one standby may go while writes go on (docs/cap.md).
        replicasPerShard: 2,
        // Wider than npm start's allow-list (its webhook receiver only), on purpose: the test of
        // test/e2e/webhooks-never-reach-the-system.spec.ts aims webhooks at every port of the stack in
        // every spelling of the loopback, and shows that the denied addresses stop them on their own.
        extraEnv: { notifications: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost,0.0.0.0,[::ffff:127.0.0.1]' } },
        // Jaeger and tracing, as `npm start` has them; BOXOFFICE_TRACING=off runs without (the trace test then fails).
        tracing: process.env.BOXOFFICE_TRACING !== 'off',
        log: (line) => process.stdout.write(`[stack] ${line}\n`),
        }),
      );
      const control = await startStackControl(stack);
      const env = { BOXOFFICE_STACK_FILE: join(stateDir, 'stack.json'), BOXOFFICE_STACK_CONTROL_URL: control.url };
      try {
        await jest(['--selectProjects', 'integration', 'e2e', '--runInBand', '--passWithNoTests', ...jestArgs], 'integration-e2e', tally, env);
        // The whole public API, fuzzed from its own OpenAPI document (not when jest was given a path pattern).
        if ((jestArgs.length === 0 || fuzzAnyway) && stack.description.gatewayUrl) {
          say("schemathesis against the gateway's OpenAPI document…");
          const fuzzed = await fuzzApi(stack.description.gatewayUrl, resultsDir, say);
          count(tally, fuzzed.passed, fuzzed.failed);
          say(`schemathesis: ${fuzzed.passed} operations passed, ${fuzzed.failed} failed`);
        }
        // Last: a failover fences a primary for the rest of the run.
        await jest(['--selectProjects', 'failover', '--runInBand', '--passWithNoTests', ...jestArgs], 'failover', tally, env);
      } finally {
        await control.close();
      }
    } catch (error) {
      say(`could not run the integration and end-to-end tests: ${error instanceof Error ? error.message : String(error)}`);
      count(tally, 0, 1);
    } finally {
      if (stack) {
        say('stopping the test stack…');
        await stack.stop();
      }
    }
  }

  finish(tally, startedAt, resultsDir);
}

function finish(tally: Tally, startedAt: number, dir: string): void {
  say(`finished in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  const summary = `${tally.passed} passed, ${tally.failed} failed`;
  writeFileSync(join(dir, 'summary.txt'), `${summary}\n`);
  process.stdout.write(`${summary}\n`);
  process.exitCode = tally.failed === 0 ? 0 : 1;
}

/**
 * `npm run test:faults`: each scenario of test/faults breaks the stack under
 * a flash sale, then checks every order settled and the invariants hold. Two
 * stacks, one after the other: two replicas of every context on one broker
 * (test/faults/*.spec.ts), then three brokers (test/faults/three-brokers/).
 * Each scenario's figures go to .boxoffice/fault-results/scenarios.jsonl.
 */
async function runFaultSuite(jestArgs: string[]): Promise<void> {
  const tally: Tally = { passed: 0, failed: 0 };
  const startedAt = Date.now();
  const dir = join(root, '.boxoffice', 'fault-results');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const portBase = Number(process.env.BOXOFFICE_TEST_PORT_BASE ?? 27000);
  const stacks = [
    {
      project: 'faults',
      stateDir: '.boxoffice/faults',
      // Two replicas of every context, so that one can die while the other takes its partitions.
      options: { appReplicas: { catalog: 2, inventory: 2, ordering: 2, payments: 2, ticketing: 2, notifications: 2 } },
    },
    // RF 3 and min.insync.replicas 2 (tools/stack/kafka-config.ts).
    { project: 'faults-three-brokers', stateDir: '.boxoffice/faults-three-brokers', options: { brokers: 3 as const } },
  ];
  for (const { project, stateDir, options } of stacks) {
    // A path pattern that picks no scenario of this stack spares its start.
    if (jestArgs.length > 0 && !(await selectsTests(project, jestArgs))) continue;
    let stack: RunningStack | undefined;
    try {
      say(`${project}: starting a fresh stack…`);
      rmSync(resolveFromRepo(stateDir), { recursive: true, force: true });
      // The scenarios decide when a broken process comes back (they start it through the stack control); the
      // launcher's own restarts are proved by tools/stack/test/integration/supervised-stack.spec.ts.
      stack = await startWhenPortsFree(() =>
        startStack({ stateDir, portBase, restart: 'no', tracing: process.env.BOXOFFICE_TRACING !== 'off', ...options, log: (line) => process.stdout.write(`[stack] ${line}\n`) }),
      );
      const control = await startStackControl(stack);
      const env = {
        BOXOFFICE_STACK_FILE: join(resolveFromRepo(stateDir), 'stack.json'),
        BOXOFFICE_STACK_CONTROL_URL: control.url,
        BOXOFFICE_FAULT_RESULTS: join(dir, 'scenarios.jsonl'),
      };
      try {
        await jest(['--selectProjects', project, '--runInBand', '--passWithNoTests', ...jestArgs], project, tally, env, dir);
      } finally {
        await control.close();
      }
    } catch (error) {
      say(`could not run ${project}: ${error instanceof Error ? error.message : String(error)}`);
      count(tally, 0, 1);
    } finally {
      if (stack) {
        say(`${project}: stopping the stack…`);
        await stack.stop();
      }
    }
  }
  finish(tally, startedAt, dir);
}

async function jest(args: string[], label: string, tally: Tally, env: Record<string, string> = {}, dir = resultsDir): Promise<void> {
  const output = join(dir, `${label}.json`);
  await run(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(root, 'node_modules/jest/bin/jest.js'), '--json', `--outputFile=${output}`, ...args], env);
  if (!existsSync(output)) {
    say(`jest (${label}) wrote no results`);
    count(tally, 0, 1);
    return;
  }
  const results = JSON.parse(readFileSync(output, 'utf8')) as { numPassedTests: number; numFailedTests: number; numRuntimeErrorTestSuites: number };
  // A suite that cannot even load counts as a failure, not as zero tests.
  count(tally, results.numPassedTests, results.numFailedTests + results.numRuntimeErrorTestSuites);
}

/**
 * The ports of a test base may sit in Linux's ephemeral range (32768 and up), so a port may be held for a
 * moment by some process's outgoing connection, found by the check or only when a process binds it (a failed
 * start stops what it started): try again a few times.
 */
async function startWhenPortsFree(start: () => Promise<RunningStack>): Promise<RunningStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= 4 || !/is taken|EADDRINUSE/.test(message)) throw error;
      say(`${message.split('\n')[0]} (a port was taken: ${/EADDRINUSE[^"]*/.exec(message)?.[0] ?? 'see above'}). Trying again in 10 s.`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
}

async function selectsTests(project: string, jestArgs: string[]): Promise<boolean> {
  const listed = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(root, 'node_modules/jest/bin/jest.js'), '--selectProjects', project, '--listTests', ...jestArgs], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    child.on('exit', () => resolve(out));
    child.on('error', () => resolve(''));
  });
  return listed.split('\n').some((line) => line.endsWith('.spec.ts'));
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

function count(tally: Tally, passed: number, failed: number): void {
  tally.passed += passed;
  tally.failed += failed;
}

function say(line: string): void {
  process.stdout.write(`[test] ${line}\n`);
}
