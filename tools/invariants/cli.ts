import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFromRepo } from '../stack/paths.js';
import { checkInvariants } from './check-invariants.js';

/**
 * `npm run check-invariants [-- --show <id> …]`: checks the running stack
 * named by BOXOFFICE_STATE_DIR (default .boxoffice/dev). Exits 1 with a list
 * of violations, 0 when every promise holds.
 */
const stateDir = process.env.BOXOFFICE_STATE_DIR ?? '.boxoffice/dev';
const stack = JSON.parse(readFileSync(join(resolveFromRepo(stateDir), 'stack.json'), 'utf8'));
const args = process.argv.slice(2);
const showIds = args.flatMap((arg, i) => (arg === '--show' && args[i + 1] ? [args[i + 1]] : []));

const violations = await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: showIds.length > 0 ? showIds : undefined });
if (violations.length === 0) {
  process.stdout.write('invariants hold: no seat sold twice, every sale paid and ticketed, failed orders hold nothing, the ledger balances, outboxes drain\n');
} else {
  process.stdout.write(`${violations.length} invariant violation(s):\n`);
  for (const v of violations) process.stdout.write(`  [${v.rule}] ${v.detail}\n`);
  process.exitCode = 1;
}
