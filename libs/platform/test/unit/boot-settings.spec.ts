import { platformSettingsFromEnv } from '../../src/boot-settings.js';
import { generateCallerTokenKeys } from '../../src/auth/caller-token-keys.js';

const DB_SHARDS = JSON.stringify([{ primary: 'postgres://ordering:secret@127.0.0.1:5432/ordering' }]);
const database = { entities: [], migrations: [] };
const CALLER_TOKEN_PUBLIC_KEYS = generateCallerTokenKeys('test-1').publicKey;

/** What the platform reads at boot depends on what the service uses: nothing it does not need, everything it does. */
describe('platformSettingsFromEnv', () => {
  it('asks the edge, with no data, for where to listen and for Kafka, where every replica reports its status', () => {
    const settings = platformSettingsFromEnv({ service: 'gateway', edge: true }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092' });
    expect(settings).toEqual({
      identity: expect.objectContaining({ service: 'gateway', port: 8080 }),
      logLevels: expect.any(Array),
      tracing: {},
      kafka: expect.objectContaining({ brokers: ['kafka:9092'] }),
      replicaStatusIntervalMs: 5000,
    });
    expect(() => platformSettingsFromEnv({ service: 'gateway', edge: true }, { PORT: '8080' })).toThrow('KAFKA_BROKERS');
    expect(() => platformSettingsFromEnv({ service: 'gateway', edge: true }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', REPLICA_STATUS_INTERVAL_MS: '5s' })).toThrow('REPLICA_STATUS_INTERVAL_MS');
  });

  it("asks every other service for the keys of the gateway's caller tokens", () => {
    const settings = platformSettingsFromEnv({ service: 'reports' }, { PORT: '8080', CALLER_TOKEN_PUBLIC_KEYS, KAFKA_BROKERS: 'kafka:9092' });
    expect(settings.callerTokenPublicKeys?.map((k) => k.id)).toEqual(['test-1']);
    expect(() => platformSettingsFromEnv({ service: 'reports' }, { PORT: '8080' })).toThrow('CALLER_TOKEN_PUBLIC_KEYS');
    expect(() => platformSettingsFromEnv({ service: 'reports' }, { PORT: '8080', CALLER_TOKEN_PUBLIC_KEYS: 'test-1:bm90IGEga2V5' })).toThrow('SPKI');
  });

  it('asks a consuming context for Kafka, its database, retention, batch size and stall limit', () => {
    const options = { service: 'ordering', database, messaging: true, consumes: true };
    const env = { PORT: '8080', CALLER_TOKEN_PUBLIC_KEYS, KAFKA_BROKERS: 'kafka:9092', DB_SHARDS, CONSUMER_BATCH_SIZE: '5' };
    const settings = platformSettingsFromEnv(options, env);
    expect(settings.kafka?.brokers).toEqual(['kafka:9092']);
    expect(settings.database?.shards).toHaveLength(1);
    expect(settings.messageRetention?.inboxSeconds).toBe(8 * 86_400);
    expect(settings.consumerBatchSize).toBe(5);
    expect(settings.consumerStallLimitMs).toBe(30_000);
    expect(platformSettingsFromEnv(options, { ...env, CONSUMER_STALL_LIMIT_MS: '5000' }).consumerStallLimitMs).toBe(5000);
    expect(() => platformSettingsFromEnv(options, { ...env, CONSUMER_STALL_LIMIT_MS: '10' })).toThrow('CONSUMER_STALL_LIMIT_MS');
    expect(() => platformSettingsFromEnv(options, { ...env, KAFKA_BROKERS: '' })).toThrow('KAFKA_BROKERS');
    expect(() => platformSettingsFromEnv(options, { ...env, DB_SHARDS: '' })).toThrow('DB_SHARDS');
  });

  it('refuses a log level it does not know instead of logging at another', () => {
    expect(platformSettingsFromEnv({ service: 'gateway', edge: true }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', LOG_LEVEL: 'info' }).logLevels).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(() => platformSettingsFromEnv({ service: 'gateway', edge: true }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL');
  });
});
