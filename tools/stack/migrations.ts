import * as fs from 'fs';
import * as path from 'path';
import { cpus } from 'os';
import { appEnv, type EnvInputs } from './app-env.js';
import { type AppName, DATA_CONTEXTS } from './contexts.js';
import { appMainJs, REPO_ROOT, type StatePaths } from './paths.js';
import { appPort } from './port-layout.js';
import { allSettledOrThrow, throwIfAborted } from './poll.js';
import { lastLines, runCommand } from './run-command.js';
import { seconds } from './progress.js';

const MIGRATION_TIMEOUT_MS = 120_000;

/**
 * `main.js migrate` of every started data context. They touch different
 * databases, so they run side by side, as many at once as there are cores.
 */
export async function runMigrations(inputs: EnvInputs, paths: StatePaths, say: (text: string) => void): Promise<void> {
  const { options } = inputs;
  // options.apps is in APPS order, so migrations start in that order too.
  const queue: AppName[] = options.apps.filter((app) => DATA_CONTEXTS.some((c) => c.name === app));
  if (queue.length === 0) {
    say('no data context started');
    return;
  }
  const runOne = async (context: AppName) => {
    const started = Date.now();
    const logFile = path.join(paths.logsDir, `${context}-migrate.log`);
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(MIGRATION_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])]);
      const env = appEnv(context, `${context}-migrate`, appPort(options.portBase, context, 0), inputs);
      const result = await runCommand('node', ['--enable-source-maps', appMainJs(context), 'migrate'], { cwd: REPO_ROOT, env, signal, tee: log }).catch(
        (err: Error) => {
          throwIfAborted(options.signal);
          throw new Error(`Migrations of ${context} did not finish within ${MIGRATION_TIMEOUT_MS / 1000} s (${err.message}).`);
        },
      );
      if (result.code !== 0) {
        throw new Error(`Migrations of ${context} failed (exit code ${result.code}):\n${lastLines(result.output)}`);
      }
      say(`${context} migrated (${seconds(Date.now() - started)})`);
    } finally {
      log.end();
    }
  };
  // A small worker pool over the queue.
  const workers = Array.from({ length: Math.min(cpus().length, queue.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await runOne(next);
  });
  await allSettledOrThrow(workers);
}
