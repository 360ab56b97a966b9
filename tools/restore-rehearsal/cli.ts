import * as path from 'path';
import { REPO_ROOT } from '../stack/paths.js';
import { rehearseShardRestore } from './rehearse.js';

/**
 * `npm run rehearse:restore`: backs up shard 1 of a throwaway Postgres 18,
 * restores it to a point in time and checks what came back
 * (tools/restore-rehearsal/rehearse.ts; docs/deployment.md, Backups).
 * BOXOFFICE_PORT_BASE chooses the ports (base + 190 and + 191), as for
 * `npm start`; it runs beside a started stack.
 */
const say = (line: string) => process.stdout.write(`[restore] ${line}\n`);
const portBase = Number(process.env.BOXOFFICE_PORT_BASE ?? 17000);
if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65535 - 300) {
  say(`BOXOFFICE_PORT_BASE must be a whole number from 1024 to ${65535 - 300}, not ${process.env.BOXOFFICE_PORT_BASE}`);
  process.exit(2);
}
const workDir = path.join(REPO_ROOT, '.boxoffice', `restore-rehearsal-${portBase}`);

try {
  const result = await rehearseShardRestore({ portBase, workDir, say });
  const missing = result.expected.filter((n) => !result.restored.includes(n));
  const extra = result.restored.filter((n) => !result.expected.includes(n));
  say(`restored to ${result.targetTime}: ${result.expected.length - missing.length} of the ${result.expected.length} rows committed by then, ${missing.length} missing, ${extra.length} from after it`);
  say(`timeline ${result.timelineBefore} → ${result.timelineAfter}; ${result.walSegmentsReplayed} WAL segments fetched from the archive`);
  say(`base backup ${(result.millis.baseBackup / 1000).toFixed(1)} s, restore and promotion ${(result.millis.restore / 1000).toFixed(1)} s, all ${(result.millis.total / 1000).toFixed(1)} s`);
  if (missing.length > 0 || extra.length > 0 || result.timelineAfter <= result.timelineBefore) {
    say(`FAILED: missing ${JSON.stringify(missing.slice(0, 20))}, extra ${JSON.stringify(extra.slice(0, 20))}`);
    process.exit(1);
  }
  say(`passed; the servers are stopped, their files are in ${path.relative(REPO_ROOT, workDir)}`);
} catch (error) {
  say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
