import { join } from 'node:path';
import { runningStack } from '@boxoffice/testing';
import { REPO_ROOT } from '../../../stack/paths.js';
import { storefrontPort } from '../../../stack/port-layout.js';
import { rehearseShardRestore } from '../../rehearse.js';

/**
 * `npm run rehearse:restore` as a test (a few seconds): shard 1's databases,
 * migrated by the apps' own migrations, backed up online with their WAL
 * archived, then restored into a new server to a moment between the backup
 * and a mistake (docs/deployment.md, "Restoring a shard").
 */
// The test stack's port base, from an address the layout derives from it; the rehearsal's ports are free in every stack.
const portBase = runningStack().storefront.port - storefrontPort(0);

describe('a shard restored from a base backup and its WAL archive, to a point in time', () => {
  it('holds exactly what was committed up to the target, on a new timeline, archiving under a name of its own', async () => {
    const result = await rehearseShardRestore({ portBase, workDir: join(REPO_ROOT, '.boxoffice', `restore-rehearsal-test-${portBase}`), say: () => {} });
    // Rows from before the backup, written during it, and after it up to the target; none of the deletion or rows after it.
    expect(result.restored).toEqual(result.expected);
    expect(result.walSegmentsReplayed).toBeGreaterThan(0);
    expect(result.timelineAfter).toBe(result.timelineBefore + 1);
  });
});
