import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, crdProblems, kubectlValidateProblems, loadCrdValidators, parseYamlDocuments, renderOverlay, vendoredCrdFiles, type K8sObject } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */

/**
 * k8s/examples/restore-shard-1.yaml, the restore of docs/deployment.md
 * ("Restoring a shard"): valid against the real CRDs (strictly, and with
 * kubectl-validate, CEL rules included); restoring from where pg-shard-1
 * archives, to a point in time, into a cluster that can take pg-shard-1's
 * place — and archiving under a name of its own.
 */
const FILE = 'k8s/examples/restore-shard-1.yaml';
const example = () => parseYamlDocuments(readFileSync(join(ROOT, FILE), 'utf8')) as K8sObject[];
let production: K8sObject[] | undefined;
const rendered = () => (production ??= renderOverlay('production'));
const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const store = () => parseYamlDocuments(readFileSync(join(ROOT, 'k8s/overlays/production/backup-object-store.example.yaml'), 'utf8'))[0];

describe(FILE, () => {
  const restored = () => example().find((o) => o.kind === 'Cluster')!;

  it('holds a Cluster and its nightly backup, valid against the vendored CRDs (ajv, strict) and kubectl-validate', () => {
    expect(example().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Cluster/pg-shard-1-restore', 'ScheduledBackup/pg-shard-1-restore-nightly']);
    expect(crdProblems(example(), loadCrdValidators(vendoredCrdFiles()))).toEqual([]);
    expect(kubectlValidateProblems(example())).toEqual([]);
  });

  it('restores from the object store and folder pg-shard-1 archives to, up to a point in time', () => {
    const recovery = restored().spec.bootstrap.recovery;
    expect(Object.keys(restored().spec.bootstrap)).toEqual(['recovery']);
    const source = restored().spec.externalClusters.find((c: any) => c.name === recovery.source);
    const archiver = named(rendered(), 'Cluster', 'pg-shard-1').spec.plugins.find((p: any) => p.isWALArchiver);
    expect(source.plugin).toEqual({ name: archiver.name, parameters: { barmanObjectName: store().metadata.name, serverName: 'pg-shard-1' } });
    // The plugin's folder defaults to the cluster's name: pg-shard-1 writes under its own.
    expect(archiver.parameters.serverName ?? 'pg-shard-1').toBe('pg-shard-1');
    expect(recovery.recoveryTarget.targetTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);
    expect(Number.isNaN(Date.parse(recovery.recoveryTarget.targetTime.replace(' ', 'T').replace(/\+00$/, 'Z')))).toBe(false);
  });

  it("archives under a name of its own, never another cluster's, and is backed up nightly", () => {
    const [archiver] = restored().spec.plugins.filter((p: any) => p.isWALArchiver);
    expect(archiver.parameters.barmanObjectName).toBe(store().metadata.name);
    expect(archiver.parameters.serverName).toBe(restored().metadata.name);
    expect(rendered().filter((o) => o.kind === 'Cluster').map((c) => c.metadata.name)).not.toContain(archiver.parameters.serverName);
    const backup = named(example(), 'ScheduledBackup', 'pg-shard-1-restore-nightly');
    expect(backup.spec).toMatchObject({ cluster: { name: restored().metadata.name }, method: 'plugin', pluginConfiguration: { name: archiver.name } });
  });

  it("is pg-shard-1 as production renders it but for its bootstrap and archive: it can take the shard's place", () => {
    const original = named(rendered(), 'Cluster', 'pg-shard-1');
    const { bootstrap: _b, plugins: _p, externalClusters: _e, ...restoredSpec } = restored().spec;
    const { bootstrap: _ob, plugins: _op, ...originalSpec } = original.spec;
    expect(restoredSpec).toEqual(originalSpec);
    expect(restored().metadata.labels).toEqual(original.metadata.labels);
    expect(restored().metadata.namespace).toBe(original.metadata.namespace);
    // The same database, owner and password Secret the apps use.
    const { database, owner, secret } = original.spec.bootstrap.initdb;
    expect(restored().spec.bootstrap.recovery).toMatchObject({ database, owner, secret });
  });

  it('names an image catalog entry that production renders', () => {
    const ref = restored().spec.imageCatalogRef;
    const catalog = named(rendered(), ref.kind, ref.name);
    expect(catalog.spec.images.map((i: any) => i.major)).toContain(ref.major);
  });

  it('fails each validator when broken: a misspelt recovery target, which would silently restore the latest state', () => {
    const broken = structuredClone(restored());
    broken.metadata.name = 'broken-restore';
    broken.spec.bootstrap.recovery.recoveryTargett = broken.spec.bootstrap.recovery.recoveryTarget;
    delete broken.spec.bootstrap.recovery.recoveryTarget;
    expect(kubectlValidateProblems([broken])).toEqual([expect.stringContaining('recoveryTargett')]);
    expect(crdProblems([broken], loadCrdValidators(vendoredCrdFiles())).some((p) => p.includes('recoveryTargett'))).toBe(true);
  });
});
