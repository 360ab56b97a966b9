import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { POSTGRES_BIN } from '../../tools/stack/paths.js';
import { renderOverlay, resolvedCompose } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * One Postgres major everywhere, like one Kafka version (kafka-version.spec.ts)
 * and one Node.js (node-version.spec.ts): the local stack's binaries, the
 * Compose images and the image every shard cluster of both overlays gets
 * from the ImageCatalog. A dump or a base backup moves only within a major,
 * so what the tests run on is what production runs (minors may differ).
 */
function localMajor(): number {
  const result = spawnSync(join(POSTGRES_BIN, 'postgres'), ['--version'], { encoding: 'utf8' });
  const version = /\(PostgreSQL\) (\d+)\.\d+/.exec(result.stdout)?.[1];
  if (result.status !== 0 || !version) throw new Error(`postgres --version failed: ${result.stdout}${result.stderr}`);
  return Number(version);
}

describe('the Postgres major', () => {
  const major = localMajor();

  it('of the local stack is a current one', () => {
    expect(major).toBeGreaterThanOrEqual(18);
  });

  it("is docker-compose.yml's, for every Postgres service", () => {
    const images = Object.values(resolvedCompose().services as Record<string, any>)
      .map((s) => s.image as string | undefined)
      .filter((image) => image?.startsWith('postgres:'));
    expect(images.length).toBeGreaterThan(1);
    for (const image of images) expect([image, Number(/^postgres:(\d+)/.exec(image!)?.[1])]).toEqual([image, major]);
  });

  it.each(['local', 'production'])('is the one every shard cluster of k8s/overlays/%s runs, from the image catalog', (overlay) => {
    const objects = renderOverlay(overlay);
    const clusters = objects.filter((o) => o.kind === 'Cluster');
    expect(clusters.length).toBeGreaterThan(1);
    for (const cluster of clusters) {
      const ref = cluster.spec.imageCatalogRef;
      expect([cluster.metadata.name, ref.major]).toEqual([cluster.metadata.name, major]);
      const catalog = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name)!;
      const image: string = catalog.spec.images.find((i: any) => i.major === ref.major).image;
      // The catalog's word is trusted by the operator: the image's own tag must say the same major.
      expect(image).toMatch(new RegExp(`^ghcr\\.io/cloudnative-pg/postgresql:${major}\\.\\d+-`));
    }
  });
});
