import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerfileBaseImage } from '../../tools/image/base-image.js';
import { ROOT } from './deploy-files.js';

/**
 * One supported Node.js everywhere (ADR 0025): package.json's engines and
 * its lockfile ask for 22 or newer, the image runs an LTS major at least
 * that, and CI runs the image's major (.ci/run reads it from the Dockerfile).
 */
const minimumMajor = (range: string) => Number(/^>=\s*(\d+)(\.\d+){0,2}$/.exec(range.trim())?.[1]);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the Node.js version', () => {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;

  it('package.json asks for Node.js 22 or newer, and the lockfile says the same', () => {
    expect(minimumMajor(engines)).toBeGreaterThanOrEqual(22);
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } }> };
    expect(lock.packages[''].engines?.node).toBe(engines);
  });

  it('the image runs an LTS release (an even major) that engines allows', () => {
    const image = dockerfileBaseImage(join(ROOT, 'Dockerfile'));
    const major = Number(/^node:(\d+)-bookworm-slim$/.exec(image)?.[1]);
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(minimumMajor(engines));
  });

  it('CI runs the major the image runs, read from the Dockerfile', () => {
    expect(read('.ci/run')).toContain("sed -n 's/^ARG NODE_IMAGE=node:\\([0-9]*\\)-.*/\\1/p' Dockerfile");
  });
});
