import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A merge that left its conflict markers behind would otherwise surface only where a reader trips on it. */
const root = join(import.meta.dirname, '..', '..');

describe('the repository', () => {
  it('holds no merge conflict markers', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter((f) => /\.(ts|js|mjs|cjs|json|md|ya?ml|sh|properties|xml)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    const marked = files.filter((file) => /^(<{7}|>{7}) /m.test(readFileSync(join(root, file), 'utf8')));
    expect(marked).toEqual([]);
  });
});
