import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, renderOverlay, type K8sObject } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the dashboard is untyped JSON */

/**
 * The Grafana dashboard of the production overlay (docs/observability.md): a
 * ConfigMap that Grafana's dashboard sidecar picks up (label
 * grafana_dashboard), holding a dashboard whose every query names metrics
 * the apps really export. Schema validity of the ConfigMap itself is checked
 * with every other object by k8s.spec.ts.
 */
const dashboards = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');

/** Every metric the code registers: `${METRIC_PREFIX}name` in apps/ and libs/, and prom-client's defaults, with the prefix. */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'test' && entry !== 'node_modules') walk(path);
      } else if (path.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/\$\{METRIC_PREFIX\}([a-z0-9_]+)/g)) names.add(`boxoffice_${match[1]}`);
      }
    }
  };
  walk(join(ROOT, 'apps'));
  walk(join(ROOT, 'libs'));
  const defaults = join(ROOT, 'node_modules', 'prom-client', 'lib', 'metrics');
  for (const file of readdirSync(defaults).filter((f) => f.endsWith('.js'))) {
    for (const match of readFileSync(join(defaults, file), 'utf8').matchAll(/= '((?:process|nodejs)_[a-z0-9_]+)'/g)) names.add(`boxoffice_${match[1]}`);
  }
  return names;
}

describe('the Grafana dashboard', () => {
  const objects = renderOverlay('production');
  const found = dashboards(objects);

  it('is a ConfigMap of the production overlay, labelled for the dashboard sidecar, in the boxoffice namespace', () => {
    expect(found).toHaveLength(1);
    expect(found[0].metadata.namespace).toBe('boxoffice');
    expect(Object.keys(found[0].data ?? {})).toEqual(['boxoffice.json']);
    expect(dashboards(renderOverlay('local'))).toEqual([]);
  });

  it('queries only metrics the apps export, and shows saga outcomes, step latencies and consumer lag', () => {
    const dashboard = JSON.parse((found[0].data as Record<string, string>)['boxoffice.json']);
    const exprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    const queried = new Set(exprs.flatMap((e) => [...e.matchAll(/boxoffice_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''))));
    const exported = exportedMetricNames();
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
    expect([...queried]).toEqual(expect.arrayContaining(['boxoffice_saga_outcomes_total', 'boxoffice_saga_step_seconds', 'boxoffice_kafka_consumer_lag_messages']));
    expect(new Set(dashboard.panels.map((p: any) => p.id)).size).toBe(dashboard.panels.length);
  });
});
