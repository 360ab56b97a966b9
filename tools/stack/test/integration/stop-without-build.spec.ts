import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '..');

/**
 * `npm run stop` and `npm run reset` (scripts/boxoffice.mjs) stop the stack
 * with the launcher already built, the one that started it: a build first
 * made a stop wait for the whole TypeScript build, and made it impossible
 * while the sources did not compile. Run here on a state folder of its own
 * with nothing in it, so no stack of anyone's is touched.
 */
describe('npm run stop and npm run reset', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'boxoffice-stop-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it.each(['stop', 'reset'])('%s runs the built launcher at once, without installing or building', (command) => {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'boxoffice.mjs'), command], {
      cwd: REPO_ROOT,
      env: { ...process.env, BOXOFFICE_STATE_DIR: stateDir },
      encoding: 'utf8',
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('nothing was running');
    expect(result.stdout).not.toMatch(/building|installing/);
  });
});
