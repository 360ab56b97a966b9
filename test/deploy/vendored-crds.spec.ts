import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, VENDORED_CRDS, parseYamlDocuments, vendoredCrdFiles } from './deploy-files.js';

/**
 * k8s/crds/vendor holds upstream CRDs exactly as released: each file's
 * SHA-256 is recorded when it is copied in (SHA256SUMS), so an edit — even a
 * well-meant one that makes a manifest pass — fails here.
 */
const sums = new Map<string, string>(
  readFileSync(join(ROOT, VENDORED_CRDS, 'SHA256SUMS'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [hash, file] = line.split(/\s+/);
      return [`${VENDORED_CRDS}/${file}`, hash];
    }),
);

describe('k8s/crds/vendor', () => {
  it('lists a checksum for every CRD file, and no other', () => {
    expect([...sums.keys()].sort()).toEqual(vendoredCrdFiles().sort());
  });

  it.each(vendoredCrdFiles())('%s is unchanged since it was copied in, and is a CustomResourceDefinition', (file) => {
    const text = readFileSync(join(ROOT, file));
    expect(createHash('sha256').update(text).digest('hex')).toBe(sums.get(file));
    const documents = parseYamlDocuments(text.toString('utf8'));
    expect(documents.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual(['apiextensions.k8s.io/v1 CustomResourceDefinition']);
  });

  it('names every file in its README with its upstream and licence', () => {
    const readme = readFileSync(join(ROOT, VENDORED_CRDS, 'README.md'), 'utf8');
    for (const file of vendoredCrdFiles()) expect(readme).toContain(`| \`${file.split('/').at(-1)}\``);
  });
});
