import { databaseConfigFromEnv } from '../../libs/persistence/src/database-config.js';
import { containerEnv } from './container-env.js';
import { documentedSecrets, renderOverlay, type K8sObject } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * The connection budget of every Postgres node: with every Deployment at its
 * HPA maximum plus the one pod a rolling update adds (maxSurge), the
 * connections the pods may open to one node — pods × DB_POOL_SIZE (each pod
 * opens up to that many per database node, as the app's own settings parse
 * it) for every context with a database on that shard — must leave room
 * under max_connections for the superuser's reserved slots and for
 * administration (CloudNativePG's instance manager, its metrics exporter's
 * queries, an operator's psql). A standby gets the read-only (-ro) pools of
 * the same pods, all of them in the worst case: the same count.
 */
const ADMINISTRATION = 20;

interface Budget {
  cluster: string;
  clients: number;
  limit: number;
}

function budgets(objects: K8sObject[]): Budget[] {
  const hpa = (name: string) => objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name)!;
  const perHost = new Map<string, number>();
  for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
    const main = deployment.spec.template.spec.containers.find((c: any) => c.name === 'app');
    const env = containerEnv(objects, { name: deployment.metadata.name, namespace: 'boxoffice' }, main);
    if (!env.DB_SHARDS) continue;
    const pods = hpa(deployment.metadata.name).spec.maxReplicas + Number(deployment.spec.strategy.rollingUpdate.maxSurge);
    const config = databaseConfigFromEnv(env);
    for (const shard of config.shards) {
      for (const url of [shard.primary, ...shard.replicas]) {
        const host = new URL(url).hostname;
        perHost.set(host, (perHost.get(host) ?? 0) + pods * config.poolSize!);
      }
    }
  }
  return objects
    .filter((o) => o.kind === 'Cluster')
    .flatMap((cluster) => {
      const parameters = cluster.spec.postgresql.parameters;
      const limit = Number(parameters.max_connections) - Number(parameters.superuser_reserved_connections ?? 3) - ADMINISTRATION;
      return ['rw', 'ro'].map((service) => ({ cluster: `${cluster.metadata.name}-${service}`, clients: perHost.get(`${cluster.metadata.name}-${service}`) ?? 0, limit }));
    });
}

const deployments: Record<string, () => K8sObject[]> = {
  local: () => renderOverlay('local'),
  production: () => [...renderOverlay('production'), ...documentedSecrets()],
};

describe.each(Object.keys(deployments))('k8s/overlays/%s', (overlay) => {
  it('keeps the pods at their HPA maxima, during a rollout, within every Postgres node’s max_connections', () => {
    const found = budgets(deployments[overlay]());
    expect(found.map((b) => b.cluster).sort()).toEqual(['pg-shard-0-ro', 'pg-shard-0-rw', 'pg-shard-1-ro', 'pg-shard-1-rw']);
    expect(found.every((b) => b.clients > 0)).toBe(true);
    expect(found.filter((b) => b.clients > b.limit)).toEqual([]);
  });
});

describe('the connection budget', () => {
  it('fails when a pool would take a shard past max_connections (the default pool of 10 on the local overlay)', () => {
    const objects = renderOverlay('local').map((o) =>
      o.kind === 'ConfigMap' && o.data?.DB_POOL_SIZE ? { ...o, data: { ...o.data, DB_POOL_SIZE: '10' } } : o,
    );
    const over = budgets(objects).filter((b) => b.clients > b.limit);
    // Shard 0 holds all six contexts: 6 × (2 + 1) pods × 10 = 180 against 100 − 3 − 20.
    expect(over).toContainEqual({ cluster: 'pg-shard-0-rw', clients: 180, limit: 77 });
  });
});
