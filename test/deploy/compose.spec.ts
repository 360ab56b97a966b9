import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKER_COMPRESSION_TYPE, BROKER_MAX_MESSAGE_BYTES, DEAD_LETTER_MAX_MESSAGE_BYTES, DEFAULT_PARTITIONS, allTopics } from '../../libs/contracts/src/topics.js';
import { BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { publicKeysFromEnv, requireAcceptedSigningKey, signingKeyFromEnv } from '../../libs/platform/src/auth/caller-token-keys.js';
import { APPS, DATA_CONTEXTS } from '../../tools/stack/contexts.js';
import { DeniedAddresses } from '../../apps/notifications/src/domain/webhook/denied-addresses.value-object.js';
import { WebhookAllowList } from '../../apps/notifications/src/domain/webhook/webhook-allow-list.value-object.js';
import { ROOT, resolvedCompose } from './deploy-files.js';
import { DEPLOYMENT_ONLY_ENV, SHARDS, launcherEnvNames } from './launcher-env.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the resolved Compose file is untyped YAML */

/**
 * docker-compose.yml, checked offline: Debian's docker-compose validates and
 * resolves it without an engine (`config -q`, then `config`), and the
 * resolved services are what the design and the launcher's env contract say.
 */
let compose: any;
beforeAll(() => {
  compose = resolvedCompose();
});
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const dependsOn = (name: string) => service(name).depends_on as Record<string, { condition: string }>;
const primaries = Array.from({ length: SHARDS }, (_, shard) => `pg-shard${shard}`);

describe('docker-compose.yml', () => {
  it('fails docker-compose config when broken: a misspelt option is refused, not ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boxoffice-compose-'));
    try {
      const broken = join(dir, 'docker-compose.yml');
      const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
      expect(text).toContain('\n  gateway:\n');
      writeFileSync(broken, text.replace('\n  gateway:\n', '\n  gateway:\n    restartt: always\n'));
      expect(() => resolvedCompose(broken)).toThrow(/restartt/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is valid for docker-compose and names the services of the design', () => {
    const expected = [
      ...primaries.flatMap((p) => [p, `${p}-replica`]),
      'kafka',
      'kafka-topics',
      ...DATA_CONTEXTS.map((c) => `${c.name}-migrate`),
      ...APPS,
      'web',
      'webhook-receiver',
      'jaeger',
    ];
    expect(Object.keys(compose.services).sort()).toEqual(expected.sort());
  });

  it.each([...APPS])('starts %s with the settings the local stack launcher gives it, healthchecked on /health/ready', (app) => {
    const s = service(app);
    expect(s.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    const expected = launcherEnvNames(app);
    const names = Object.keys(s.environment).sort();
    expect(names).toEqual(expect.arrayContaining(expected));
    expect(names.filter((n) => !expected.includes(n)).every((n) => DEPLOYMENT_ONLY_ENV.includes(n))).toBe(true);
    expect(s.environment.HOST).toBe('0.0.0.0');
    expect(s.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${s.environment.PORT}/health/ready`);
  });

  it.each(DATA_CONTEXTS.map((c) => [c.name, c] as const))('migrates %s once before it starts, against its database on the right shards', (_, context) => {
    const migrate = service(`${context.name}-migrate`);
    expect(migrate.command).toEqual(['node', `dist/apps/${context.name}/src/main.js`, 'migrate']);
    expect(migrate.environment).toEqual(service(context.name).environment);
    expect(migrate.restart).toBe('no');
    expect(dependsOn(context.name)).toMatchObject({
      [`${context.name}-migrate`]: { condition: 'service_completed_successfully' },
      'kafka-topics': { condition: 'service_completed_successfully' },
    });
    const onShards = context.sharded ? primaries : primaries.slice(0, 1);
    // CP commits wait for a standby: migrations start once the standbys stream.
    for (const host of onShards.flatMap((p) => [p, `${p}-replica`])) expect(dependsOn(`${context.name}-migrate`)[host]).toEqual({ condition: 'service_healthy' });
    const shards = JSON.parse(migrate.environment.DB_SHARDS);
    expect(shards.map((s: any) => [new URL(s.primary).host, new URL(s.primary).pathname, s.replicas.map((r: string) => new URL(r).host)])).toEqual(
      onShards.map((p) => [`${p}:5432`, `/${context.name}`, [`${p}-replica:5432`]]),
    );
    // As its own role, with the password its shards' init script gives that role, which reaches no other database (ADR 0046).
    for (const url of shards.flatMap((s: any) => [s.primary, ...s.replicas])) {
      expect(decodeURIComponent(new URL(url).username)).toBe(context.name);
      for (const p of onShards) expect(decodeURIComponent(new URL(url).password)).toBe(service(p).environment[`${context.name.toUpperCase()}_DB_PASSWORD`]);
    }
    expect(JSON.parse(migrate.environment.BUCKET_MAP)).toEqual(BucketMap.even(SHARDS).definition);
  });

  it("serves the storefront's pages, pointed at the gateway's published port, whose API answers the storefront's origin (ADR 0033)", () => {
    const web = service('web');
    expect(web.command).toEqual(['node', 'dist/apps/web/src/main.js']);
    expect(web.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${web.environment.PORT}/health/ready`);
    const published = (s: any) => s.ports.find((p: any) => p.target === 8080).published;
    expect(web.environment.API_URL).toBe(`http://127.0.0.1:${published(service('gateway'))}`);
    expect(service('gateway').environment.CORS_ALLOWED_ORIGINS).toBe(`http://127.0.0.1:${published(web)}`);
  });

  it('starts the gateway last, routes it to every context and publishes it on a host port', () => {
    const gateway = service('gateway');
    for (const context of APPS.filter((a) => a !== 'gateway')) {
      expect(dependsOn('gateway')[context]).toEqual({ condition: 'service_healthy' });
      expect(gateway.environment[`${context.toUpperCase()}_URLS`]).toBe(`http://${context}:${service(context).environment.PORT}`);
    }
    expect(gateway.ports).toEqual([expect.objectContaining({ target: Number(gateway.environment.PORT), published: expect.anything() })]);
  });

  it('signs caller tokens at the gateway only, with a key every context accepts (ADR 0017)', () => {
    const gateway = service('gateway').environment;
    for (const context of APPS.filter((a) => a !== 'gateway')) {
      expect(service(context).environment.CALLER_TOKEN_SIGNING_KEY).toBeUndefined();
      expect(() => requireAcceptedSigningKey(signingKeyFromEnv(gateway), publicKeysFromEnv(service(context).environment))).not.toThrow();
    }
    // The defaults are for a try-out: a production boot refuses them (they carry the development marker).
    expect(gateway.BOXOFFICE_ENV).toBe('development');
    expect(gateway.CALLER_TOKEN_SIGNING_KEY).toContain('not-for-production');
  });

  it('creates exactly the topics of allTopics() on a KRaft broker that never creates topics itself', () => {
    const kafka = service('kafka').environment;
    expect(kafka.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
    expect(String(kafka.KAFKA_AUTO_CREATE_TOPICS_ENABLE)).toBe('false');
    const topics = service('kafka-topics');
    expect(topics.environment.TOPICS.trim().split(/\s+/).sort()).toEqual(allTopics().map((t) => t.name).sort());
    expect(Number(topics.environment.PARTITIONS)).toBe(DEFAULT_PARTITIONS);
    expect(Number(kafka.KAFKA_MESSAGE_MAX_BYTES)).toBe(BROKER_MAX_MESSAGE_BYTES);
    expect(kafka.KAFKA_COMPRESSION_TYPE).toBe(BROKER_COMPRESSION_TYPE);
    expect(Number(topics.environment.DEAD_LETTER_MAX_MESSAGE_BYTES)).toBe(DEAD_LETTER_MAX_MESSAGE_BYTES);
    expect(dependsOn('kafka-topics')).toEqual({ kafka: { condition: 'service_healthy' } });
  });

  it.each(primaries)('gives %s one database per context with its CAP choice, and a streaming replica', (primary) => {
    const shard = primaries.indexOf(primary);
    const env = service(primary).environment;
    const databases = env.BOXOFFICE_DATABASES.split(/\s+/).map((pair: string) => pair.split(':'));
    expect(databases).toEqual(DATA_CONTEXTS.filter((c) => c.sharded || shard === 0).map((c) => [c.name, c.cap === 'CP' ? 'on' : 'local']));
    // A role per database, each with its own password (the init script refuses to start without one).
    const passwords = databases.map(([name]: string[]) => env[`${name.toUpperCase()}_DB_PASSWORD`]);
    expect(passwords.every((p: unknown) => typeof p === 'string' && p.length > 0)).toBe(true);
    expect(new Set(passwords).size).toBe(passwords.length);
    // docker-compose 1.29 prints volumes as `source:target:mode`, newer ones as objects.
    const targets = service(primary).volumes.map((v: any) => (typeof v === 'string' ? v.split(':')[1] : v.target));
    expect(targets).toContain('/docker-entrypoint-initdb.d/boxoffice.sh');
    const replica = service(`${primary}-replica`);
    expect(replica.environment).toMatchObject({ PRIMARY_HOST: primary, STANDBY_NAME: env.STANDBY_NAMES });
    expect(replica.depends_on).toEqual({ [primary]: { condition: 'service_healthy' } });
    expect(replica.healthcheck.test.join(' ')).toContain('pg_stat_wal_receiver');
  });

  it('runs the local stack’s webhook receiver, the only host webhooks may reach, and denies every port of the system to them', () => {
    const receiver = service('webhook-receiver');
    expect(receiver.command).toEqual(['node', 'dist/tools/stack/webhook-receiver.js']);
    expect(receiver.environment.WEBHOOK_SIGNING_SECRET).toBe(service('notifications').environment.WEBHOOK_SIGNING_SECRET);
    expect(receiver.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${receiver.environment.PORT}/health/ready`);
    const env = service('notifications').environment;
    const allowed = WebhookAllowList.parse(env.WEBHOOK_ALLOWED_HOSTS);
    const denied = DeniedAddresses.parse(env.WEBHOOK_DENIED_ADDRESSES);
    if (!allowed.ok || !denied.ok) throw new Error('notifications cannot read its webhook settings');
    expect(allowed.value.check(`http://webhook-receiver:${receiver.environment.PORT}/hooks/alice`).ok).toBe(true);
    expect(allowed.value.check('http://catalog:8080/shows/x/cancel').ok).toBe(false);
    // Compose's network addresses are Docker's choice: the system's own ports are denied on every address.
    const ports = [...APPS.map((app) => Number(service(app).environment.PORT)), 5432, 9092, 9093];
    for (const port of ports) expect([port, denied.value.refusal('172.18.0.5', port) !== undefined]).toEqual([port, true]);
    expect(denied.value.refusal('172.18.0.9', Number(receiver.environment.PORT))).toBeUndefined();
    expect(denied.value.refusal('127.0.0.1', Number(receiver.environment.PORT))).toMatch(/is denied to webhooks/);
  });
});
