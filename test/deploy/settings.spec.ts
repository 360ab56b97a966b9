import { databaseConfigFromEnv } from '../../libs/persistence/src/database-config.js';
import { APPS, DATA_CONTEXTS, DEPLOYABLES, type Deployable } from '../../tools/stack/contexts.js';
import { containerEnv } from './container-env.js';
import { documentedSecrets, renderOverlay, resolvedCompose, type K8sObject } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * Settings that boot: every container of every deployment gets exactly the
 * environment Kubernetes (or Compose) would give it, and the app's own boot-time
 * settings check runs on it — `<app>SettingsFromEnv` from
 * apps/<app>/src/<app>.settings.ts, the function main.ts runs before anything
 * starts, and for a migration container the database settings `migrate` reads.
 * A setting an app adds to its settings function is checked here with no
 * change to this test; a short secret or a missing setting fails here, not
 * in a crash-looping pod.
 */
type SettingsFromEnv = (env: NodeJS.ProcessEnv) => unknown;

const settingsOf = new Map<Deployable, SettingsFromEnv>();
beforeAll(async () => {
  for (const app of DEPLOYABLES) {
    const module = (await import(`../../apps/${app}/src/${app}.settings.js`)) as Record<string, unknown>;
    const settings = module[`${app}SettingsFromEnv`];
    if (typeof settings !== 'function') throw new Error(`apps/${app}/src/${app}.settings.ts exports no ${app}SettingsFromEnv`);
    settingsOf.set(app, settings as SettingsFromEnv);
  }
});

/** Settings no settings function reads, and who does. */
const READ_ELSEWHERE: Record<string, string> = {
  NODE_ENV: 'Node libraries (Express)',
  KAFKAJS_NO_PARTITIONER_WARNING: 'kafkajs',
  DB_PASSWORD: 'Kubernetes, which expands $(DB_PASSWORD) in DB_SHARDS',
  SERVICE_NAME: 'the Kafka client id, when INSTANCE_ID is not set',
  PAYMENTS_URLS: 'nothing yet: the launcher gives the gateway every context (no public route reaches payments directly)',
  NOTIFICATIONS_URLS: 'nothing yet: the launcher gives the gateway every context (no public route reaches notifications directly)',
};

const namesRead = new Set<string>();
/** The environment, recording every name a settings function reads from it. */
function recording(env: Record<string, string>): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') namesRead.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
}

const isMigration = (container: any) => container.args?.at(-1) === 'migrate';

/** Runs the boot-time check the container's command runs; throws what the app would log before exiting. */
function bootCheck(app: Deployable, migration: boolean, env: Record<string, string>): void {
  if (migration) databaseConfigFromEnv(recording(env));
  else settingsOf.get(app)!(recording(env));
}

interface Deployed {
  app: Deployable;
  container: string;
  migration: boolean;
  env: Record<string, string>;
}

function kubernetesContainers(objects: K8sObject[]): Deployed[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .flatMap((deployment) => {
      const pod = deployment.spec.template.spec;
      const app = deployment.metadata.name as Deployable;
      return [...(pod.initContainers ?? []), ...pod.containers].map((container: any) => ({
        app,
        container: container.name,
        migration: isMigration(container),
        env: containerEnv(objects, { name: app, namespace: deployment.metadata.namespace ?? 'default' }, container),
      }));
    });
}

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
const local = once(() => renderOverlay('local'));
const productionOverlay = once(() => renderOverlay('production'));
/** Production as a user runs it: the overlay plus the Secrets docs/deployment.md creates outside Git. */
const production = once(() => [...productionOverlay(), ...documentedSecrets()]);

const deployments: Record<string, () => Deployed[]> = {
  'k8s/overlays/local': once(() => kubernetesContainers(local())),
  'k8s/overlays/production': once(() => kubernetesContainers(production())),
  'docker-compose.yml': once(() => {
    const services = resolvedCompose().services as Record<string, any>;
    return Object.entries(services)
      .filter(([name]) => DEPLOYABLES.some((app) => name === app || name === `${app}-migrate`))
      .map(([name, service]) => ({
        app: name.replace(/-migrate$/, '') as Deployable,
        container: name,
        migration: name.endsWith('-migrate'),
        env: Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)])),
      }));
  }),
};

describe.each(Object.keys(deployments))('%s', (where) => {
  let containers: Deployed[];
  beforeAll(() => {
    containers = deployments[where]();
  });

  it('runs every app, and migrates every context with data first', () => {
    expect([...new Set(containers.filter((c) => !c.migration).map((c) => c.app))].sort()).toEqual([...DEPLOYABLES].sort());
    expect(containers.filter((c) => c.migration).map((c) => c.app).sort()).toEqual(DATA_CONTEXTS.map((c) => c.name).sort());
  });

  it.each([...DEPLOYABLES])("gives %s settings that pass the app's own check at boot", (app) => {
    const mine = containers.filter((c) => c.app === app);
    expect(mine.length).toBeGreaterThan(0);
    for (const container of mine) {
      try {
        bootCheck(app, container.migration, container.env);
      } catch (error) {
        throw new Error(`${where}, ${app} container ${container.container}: ${(error as Error).message}`);
      }
    }
  });
});

describe('settings a deployment sets', () => {
  it('are each read by some app at boot (a misspelt name is not silently ignored)', () => {
    const given = new Set(Object.values(deployments).flatMap((containers) => containers().flatMap((c) => Object.keys(c.env))));
    namesRead.clear();
    for (const containers of Object.values(deployments)) for (const c of containers()) bootCheck(c.app, c.migration, c.env);
    const unread = [...given].filter((name) => !namesRead.has(name) && !(name in READ_ELSEWHERE));
    expect(unread).toEqual([]);
  });
});

describe('secrets', () => {
  it('are generated for the local overlay, for development only', () => {
    const secrets = local().filter((o) => o.kind === 'Secret');
    expect(secrets.map((s) => s.metadata.name.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual(['boxoffice-db-catalog', 'boxoffice-db-inventory', 'boxoffice-db-notifications', 'boxoffice-db-ordering', 'boxoffice-db-payments', 'boxoffice-db-ticketing', 'boxoffice-gateway-signing-key', 'boxoffice-secrets']);
  });

  it('are never in the production overlay, so applying it cannot overwrite the real ones', () => {
    expect(productionOverlay().filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('that production needs are exactly those docs/deployment.md creates, in its namespace', () => {
    const secrets = documentedSecrets();
    // The apps', a database role's per context, and the backups' object store's (k8s-operations.spec.ts).
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual(['boxoffice-backup-credentials', 'boxoffice-db-catalog', 'boxoffice-db-inventory', 'boxoffice-db-notifications', 'boxoffice-db-ordering', 'boxoffice-db-payments', 'boxoffice-db-ticketing', 'boxoffice-gateway-signing-key', 'boxoffice-secrets']);
    expect(secrets.every((s) => s.metadata.namespace === 'boxoffice')).toBe(true);
    expect(() => kubernetesContainers(productionOverlay())).toThrow(/Secret boxoffice-(secrets|db-[a-z]+|gateway-signing-key) does not exist/);
  });
});

describe('a broken copy fails the boot check', () => {
  const withData = (objects: K8sObject[], kind: string, namePrefix: string, change: (data: Record<string, string>) => void) =>
    objects.map((o) => {
      if (o.kind !== kind || !o.metadata.name.startsWith(namePrefix)) return o;
      const data: Record<string, string> = { ...o.data };
      change(data);
      return { ...o, data };
    });
  const failures = (objects: K8sObject[], app: Deployable) =>
    kubernetesContainers(objects)
      .filter((c) => c.app === app && !c.migration)
      .map((c) => {
        try {
          bootCheck(app, false, c.env);
          return 'booted';
        } catch (error) {
          return (error as Error).message;
        }
      });

  it('a JWT_SECRET shorter than 32 characters (the old base placeholder) stops the gateway', () => {
    const broken = withData(local(), 'Secret', 'boxoffice-secrets', (data) => {
      data.JWT_SECRET = Buffer.from('change-me-jwt-secret').toString('base64');
    });
    expect(failures(broken, 'gateway')).toEqual([expect.stringContaining('JWT_SECRET')]);
  });

  it('a missing WEBHOOK_ALLOWED_HOSTS stops notifications', () => {
    const broken = withData(local(), 'ConfigMap', 'boxoffice-config', (data) => {
      delete data.WEBHOOK_ALLOWED_HOSTS;
    });
    expect(failures(broken, 'notifications')).toEqual([expect.stringContaining('WEBHOOK_ALLOWED_HOSTS')]);
  });

  it('a missing CALLER_TOKEN_PUBLIC_KEYS stops every app that serves HTTP, not the migrations', () => {
    const broken = withData(local(), 'ConfigMap', 'boxoffice-config', (data) => {
      delete data.CALLER_TOKEN_PUBLIC_KEYS;
    });
    for (const app of APPS) expect(failures(broken, app)).toEqual([expect.stringContaining('CALLER_TOKEN_PUBLIC_KEYS')]);
    for (const c of kubernetesContainers(broken).filter((c) => c.migration)) expect(() => bootCheck(c.app, true, c.env)).not.toThrow();
  });

  it('an OTEL_EXPORTER_OTLP_ENDPOINT that is no http(s) URL stops every app', () => {
    const broken = withData(production(), 'ConfigMap', 'boxoffice-config', (data) => {
      data.OTEL_EXPORTER_OTLP_ENDPOINT = 'otel-collector:4318';
    });
    expect(failures(broken, 'ordering')).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT')]);
    expect(failures(broken, 'gateway')).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT')]);
  });

  it('production sends spans to a collector; the local overlay leaves tracing off', () => {
    const config = (objects: { kind: string; metadata: { name: string }; data?: Record<string, string> }[]) =>
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('boxoffice-config'))?.data ?? {};
    expect(config(production()).OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/.+:4318$/);
    expect(config(local()).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('');
  });

  it("a context's database password that is not there stops the context and its migration", () => {
    // Kubernetes leaves $(DB_PASSWORD) unexpanded when the variable is missing before DB_SHARDS.
    const containers = kubernetesContainers(local()).filter((c) => c.app === 'payments');
    expect(containers.map((c) => c.migration).sort()).toEqual([false, true]);
    for (const c of containers) {
      const { DB_PASSWORD, ...withoutPassword } = c.env;
      expect(DB_PASSWORD).toContain('not-for-production');
      const unexpanded = { ...withoutPassword, DB_SHARDS: withoutPassword.DB_SHARDS.replaceAll(DB_PASSWORD, '$(DB_PASSWORD)') };
      expect(() => bootCheck('payments', c.migration, unexpanded)).toThrow(/DB_SHARDS is invalid: .*unexpanded \$\(NAME\)/s);
      const empty = { ...withoutPassword, DB_SHARDS: withoutPassword.DB_SHARDS.replaceAll(`:${DB_PASSWORD}@`, '@') };
      expect(() => bootCheck('payments', c.migration, empty)).toThrow(/gives no password for the database role payments/);
    }
  });

  it('a malformed DB_SHARDS stops a context and its migration', () => {
    const objects = local();
    const containers = kubernetesContainers(objects).filter((c) => c.app === 'ordering');
    for (const c of containers) {
      expect(() => bootCheck('ordering', c.migration, { ...c.env, DB_SHARDS: '[{"primary":"mysql://x"}]' })).toThrow(/DB_SHARDS/);
    }
  });
});

describe('settings are read once, at boot', () => {
  it("no app's module reads the environment when it is loaded: runService checks the settings first and hands them over", async () => {
    const saved = process.env;
    process.env = {};
    try {
      for (const app of APPS) {
        const module = (await import(`../../apps/${app}/src/${app}.module.js`)) as Record<string, unknown>;
        expect(Object.keys(module)).toContain(`${app[0].toUpperCase()}${app.slice(1)}Module`);
      }
    } finally {
      process.env = saved;
    }
  });
});
