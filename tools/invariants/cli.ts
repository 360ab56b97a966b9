import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFromRepo } from '../stack/paths.js';
import { checkConsumers } from './check-consumers.js';
import { checkInvariants } from './check-invariants.js';

/**
 * `npm run check-invariants [-- --show <id> …] [-- --sample-seconds <s>]`:
 * checks the running stack named by BOXOFFICE_STATE_DIR (default
 * .boxoffice/dev): its data (scoped to the shows named, if any), then
 * whether every context's consumer group is consuming (two samples of the
 * groups, `--sample-seconds` apart, 10 by default). Exits 1 with a list of
 * violations, 0 when every promise holds.
 */
const stateDir = process.env.BOXOFFICE_STATE_DIR ?? '.boxoffice/dev';
const stack = JSON.parse(readFileSync(join(resolveFromRepo(stateDir), 'stack.json'), 'utf8'));
const args = process.argv.slice(2);
const valuesOf = (flag: string) => args.flatMap((arg, i) => (arg === flag && args[i + 1] ? [args[i + 1]] : []));
const showIds = valuesOf('--show');
const sampleSeconds = Number(valuesOf('--sample-seconds').at(-1) ?? 10);
if (!Number.isFinite(sampleSeconds) || sampleSeconds <= 0) {
  process.stderr.write(`--sample-seconds must be a positive number of seconds, got "${valuesOf('--sample-seconds').at(-1)}"\n`);
  process.exit(2);
}

const [data, consumers] = await Promise.all([
  checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: showIds.length > 0 ? showIds : undefined }),
  checkConsumers({ brokers: stack.kafka.brokers, sampleIntervalMs: sampleSeconds * 1000 }),
]);
const violations = [...data, ...consumers];
if (violations.length === 0) {
  process.stdout.write(
    'invariants hold: no seat sold twice, every sale paid and ticketed, failed orders hold nothing, the ledger balances, outboxes drain, every context is consuming\n',
  );
} else {
  process.stdout.write(`${violations.length} invariant violation(s):\n`);
  for (const v of violations) process.stdout.write(`  [${v.rule}] ${v.detail}\n`);
  process.exitCode = 1;
}
