#!/usr/bin/env node
/**
 * node dist/tools/stack/cli.js <up|stop|reset|status|test>, or runCli() from
 * scripts/boxoffice.mjs (npm start), which runs it in its own process.
 * Options come from BOXOFFICE_* env vars, overridden by --flags (see cli-options.ts).
 */
import * as fs from 'fs';
import { pathToFileURL } from 'url';
import { optionsFromEnvAndFlags } from './cli-options.js';
import { resolveOptions, type StackOptions } from './options.js';
import { displayPath, statePaths } from './paths.js';
import { readPidFile } from './pid-registry.js';
import { liveLauncherPid } from './prerequisites.js';
import { isAlive, waitForExit } from './process-table.js';
import { AbortedError } from './poll.js';
import { type StackDescription, summaryLines } from './stack-description.js';
import { type RunningStack, startStack } from './stack.js';
import { stopRegisteredProcesses } from './stop-leftovers.js';

const USAGE = `usage: node dist/tools/stack/cli.js <command> [--flag value …]
  up       start Postgres, Kafka, migrations and the apps; runs until Ctrl-C
  stop     stop a running stack (its launcher, or leftover processes)
  reset    stop, then delete the state dir (data, logs); the Kafka jar cache stays
  status   say whether the stack runs, and print its summary
  test     run the test suites against the stack
flags / env: --state-dir BOXOFFICE_STATE_DIR, --port-base BOXOFFICE_PORT_BASE, --shards BOXOFFICE_SHARDS,
  --replicas-per-shard BOXOFFICE_REPLICAS_PER_SHARD, --brokers BOXOFFICE_BROKERS (1|3),
  --app-replicas BOXOFFICE_APP_REPLICAS (ordering=2,inventory=2), --apps BOXOFFICE_APPS (catalog,inventory | none),
  --restart BOXOFFICE_RESTART (unless-stopped: restart what crashes, give up on a crash loop | no)`;

const say = (line: string): void => {
  process.stdout.write(`[stack] ${line}\n`);
};

/**
 * A terminal's Ctrl-C under `npm start` arrives twice: from the terminal (to
 * the whole foreground process group) and from npm, which forwards it.
 */
const SAME_SIGNAL_MS = 1000;

/** Starts the stack and stays in the foreground until SIGINT/SIGTERM/SIGHUP, then stops it in order. */
async function up(options: StackOptions): Promise<void> {
  const abort = new AbortController();
  let stack: RunningStack | undefined;
  let stopping: { signal: NodeJS.Signals; at: number } | undefined;
  const stopAndExit = (running: RunningStack) =>
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => fail(err),
    );
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (signal !== stopping.signal || Date.now() - stopping.at > SAME_SIGNAL_MS) say(`${signal} again: already stopping, please wait`);
      return;
    }
    stopping = { signal, at: Date.now() };
    say(`${signal} received`);
    if (stack) void stopAndExit(stack);
    else abort.abort(); // still starting: startStack stops what it started, then rejects
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // terminal closed: stop cleanly rather than orphan the children

  try {
    stack = await startStack({ ...options, signal: abort.signal });
  } catch (err) {
    if (err instanceof AbortedError || abort.signal.aborted) {
      say('everything that had started is stopped');
      process.exit(130);
    }
    throw err;
  }
  if (stopping) return void stopAndExit(stack); // the signal came in just as the start finished
  const restarts = resolveOptions(options).restart === 'unless-stopped' ? 'a process that crashes is restarted (ADR 0021); ' : '';
  say(`running; ${restarts}Ctrl-C here or \`npm run stop\` elsewhere stops everything`);
  // The children keep the event loop alive, but not if every one of them died: stay up regardless.
  setInterval(() => {}, 1 << 30);
}

async function stop(options: StackOptions): Promise<void> {
  const paths = statePaths(resolveOptions(options).stateDir);
  const launcher = liveLauncherPid(paths);
  if (launcher) {
    say(`asking the launcher (pid ${launcher}) to stop the stack`);
    process.kill(launcher, 'SIGINT');
    if (!(await waitForExit(launcher, undefined, 120_000))) {
      say(`the launcher (pid ${launcher}) did not exit within 120 s; stopping its processes directly`);
    }
  }
  const leftovers = await stopRegisteredProcesses(paths.pidsFile);
  if (leftovers.length > 0) say(`stopped ${leftovers.length} process(es): ${leftovers.map((p) => p.id).join(', ')}`);
  fs.rmSync(paths.launcherPidFile, { force: true });
  if (!launcher && leftovers.length === 0) say(`nothing was running from ${displayPath(paths.stateDir)}`);
  else say('stopped');
}

async function reset(options: StackOptions): Promise<void> {
  await stop(options);
  const { stateDir } = resolveOptions(options);
  fs.rmSync(stateDir, { recursive: true, force: true });
  say(`deleted ${displayPath(stateDir)} (the Kafka jar cache in .boxoffice/cache stays)`);
}

/** Every process a description lists, with its log, for `status`. */
function processesOf(d: StackDescription): { id: string; pid: number | null; log: string }[] {
  return [
    ...d.postgres.shards.flatMap((s) => [s.primary, ...s.replicas]),
    ...d.kafka.nodes,
    ...Object.values(d.apps).flat(),
  ];
}

/** Exit code 0 when running, 3 when not (as LSB status commands do). */
function status(options: StackOptions): number {
  const paths = statePaths(resolveOptions(options).stateDir);
  const launcher = liveLauncherPid(paths);
  const alive = (readPidFile(paths.pidsFile)?.processes ?? []).filter((p) => isAlive(p.pid, p.startTime));
  const description = fs.existsSync(paths.stackJson) ? (JSON.parse(fs.readFileSync(paths.stackJson, 'utf8')) as StackDescription) : undefined;
  if (launcher) {
    say(`running from ${displayPath(paths.stateDir)} (launcher pid ${launcher}, ${alive.length} processes alive)`);
    const down = description ? processesOf(description).filter((p) => !alive.some((a) => a.id === p.id)) : [];
    for (const p of down) say(`  ${p.id} is not running; see ${displayPath(p.log)}`);
  } else if (alive.length > 0) {
    say(`no launcher, but ${alive.length} process(es) of an earlier run are alive: ${alive.map((p) => p.id).join(', ')}; run stop`);
  } else {
    say(`not running (state dir ${displayPath(paths.stateDir)})`);
  }
  if (description) {
    if (!launcher) say(`last start, ${description.startedAt}:`);
    for (const line of summaryLines(description)) say(line);
  }
  return launcher ? 0 : 3;
}

/** Written by someone else; a variable specifier keeps tsc from resolving it at build time. */
async function test(args: string[]): Promise<void> {
  const runner = '../test-runner/run-tests.js';
  const module = (await import(runner)) as { runTests: (args: string[]) => unknown };
  await module.runTests(args);
}

function fail(err: unknown): never {
  // Errors are written for people: print the message, the stack only on request.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message}\n`);
  if (process.env.BOXOFFICE_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}

/** Runs one command (`up`, `stop`, …) in this process; `up` stays until a signal stops it. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await main(argv);
  } catch (err) {
    fail(err);
  }
}

async function main(argv: string[]): Promise<void> {
  // `status | head` closes our stdout early; the launcher must not die of that and orphan its children.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  const [command, ...rest] = argv;
  if (command === 'test') return test(rest);
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = optionsFromEnvAndFlags(process.env, rest);
  switch (command) {
    case 'up':
      return up(options);
    case 'stop':
      return stop(options);
    case 'reset':
      return reset(options);
    case 'status':
      process.exitCode = status(options);
      return;
    default:
      process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
      process.exit(1);
  }
}

/** Run as a script (node dist/tools/stack/cli.js up), not imported by scripts/boxoffice.mjs. */
function isEntryPoint(): boolean {
  try {
    return import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) void runCli(process.argv.slice(2));
