import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One optimistic-concurrency idiom, owned by libs/ddd (AggregateRoot, ADR
 * 0031): an adapter writes an aggregate only over its `expectedVersion`. The
 * idioms it replaced, and a version column bumped that nothing checks (which
 * reads like a fourth one), fail here. A decider's adapter guards its writes
 * with each event's precondition instead and keeps no version (ADR 0030).
 */
const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/\bversion\s*=\s*version\s*\+/i, 'a version bumped in SQL, checked by nobody'],
  [/\bversion\s*-\s*[\w.]*events\.length/, 'the version loaded, derived from the events raised'],
  [/\bloadedVersions\b/, 'a map of loaded versions kept by the adapter'],
  [/\.touch\(\)/, 'a version bumped by touch()'],
];

/** What in this source breaks the idiom: one of the replaced ones, or a versioned write without `expectedVersion`. */
function breaches(source: string): string[] {
  const found = FORBIDDEN.filter(([pattern]) => pattern.test(source)).map(([, what]) => what);
  const writesVersion = /\bUPDATE\s+\w+\s+SET\b[^`]*\bversion\s*=\s*\$/i.test(source) || /\.update\(\s*\{[^}]*\bversion\s*:/.test(source);
  if (writesVersion && !source.includes('expectedVersion')) found.push('a versioned write that does not expect the loaded version');
  return found;
}

describe('optimistic concurrency', () => {
  it('is done one way in every context: over the version the aggregate was loaded with', () => {
    const files = readdirSync(join(root, 'apps')).flatMap((app) => sources(join(root, 'apps', app, 'src')));
    const found = files.flatMap((file) => breaches(readFileSync(file, 'utf8')).map((what) => `${relative(root, file)}: ${what}`));
    expect(found).toEqual([]);
  });

  it('tells the idioms it replaced from the one it keeps', () => {
    expect(breaches('await manager.query(`UPDATE seats SET status = $3, version = version + 1 WHERE show_id = $1`)')).toEqual(['a version bumped in SQL, checked by nobody']);
    expect(breaches('const expected = show.version - show.events.length;')).toEqual(['the version loaded, derived from the events raised']);
    expect(breaches('this.loadedVersions.set(order.id, row.version);')).toEqual(['a map of loaded versions kept by the adapter']);
    expect(breaches('order.touch();')).toEqual(['a version bumped by touch()']);
    expect(breaches('await manager.query(`UPDATE orders SET version = $3 WHERE order_id = $1`, [order.id]);')).toEqual(['a versioned write that does not expect the loaded version']);
    expect(breaches('await manager.query(`UPDATE orders SET version = $3 WHERE order_id = $1 AND version = $2`, [order.id, order.expectedVersion]);')).toEqual([]);
  });
});
