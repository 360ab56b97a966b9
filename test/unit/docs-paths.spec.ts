import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Docs are part of the product: every repository path they name must exist.
 * Checks markdown links (relative to the document) and `backticked` paths
 * under the top-level folders (relative to the repository root).
 */
const root = join(import.meta.dirname, '..', '..');
const TOP_LEVEL = /^(apps|libs|docs|tools|test|infra|k8s|scripts|bench|\.ci)\//;

function markdownFiles(): string[] {
  const files = ['README.md', 'BENCHMARKS.md'].map((f) => join(root, f)).filter(existsSync);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : walk(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  return [...files, ...walk(join(root, 'docs')), ...walk(join(root, 'apps')), ...walk(join(root, 'libs'))];
}

function namedPaths(file: string): { path: string; resolved: string }[] {
  const text = readFileSync(file, 'utf8');
  const links = [...text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((path) => ({ path, resolved: join(dirname(file), path) }));
  const backticked = [...text.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1])
    .filter((path) => TOP_LEVEL.test(path) && !/[<*{]/.test(path))
    .map((path) => ({ path, resolved: join(root, path.replace(/[.,:;]$/, '')) }));
  return [...links, ...backticked];
}

describe('documentation', () => {
  const files = markdownFiles();

  it('finds the documents to check', () => {
    expect(files.map((f) => relative(root, f))).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s names only paths that exist', (_, file) => {
    const missing = namedPaths(file)
      .filter(({ resolved }) => !existsSync(resolved))
      .map(({ path }) => path);
    expect(missing).toEqual([]);
  });
});
