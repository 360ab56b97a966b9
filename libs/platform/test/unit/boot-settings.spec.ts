import { platformSettingsFromEnv } from '../../src/boot-settings.js';

const DB_SHARDS = JSON.stringify([{ primary: 'postgres://app@127.0.0.1:5432/orders' }]);
const database = { entities: [], migrations: [] };

/** What the platform reads at boot depends on what the service uses: nothing it does not need, everything it does. */
describe('platformSettingsFromEnv', () => {
  it('asks an HTTP-only service for where to listen and for Kafka, where every replica reports its status', () => {
    const settings = platformSettingsFromEnv({ service: 'gateway' }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092' });
    expect(settings).toEqual({
      identity: expect.objectContaining({ service: 'gateway', port: 8080 }),
      logLevels: expect.any(Array),
      kafka: expect.objectContaining({ brokers: ['kafka:9092'] }),
      replicaStatusIntervalMs: 5000,
    });
    expect(() => platformSettingsFromEnv({ service: 'gateway' }, { PORT: '8080' })).toThrow('KAFKA_BROKERS');
    expect(() => platformSettingsFromEnv({ service: 'gateway' }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', REPLICA_STATUS_INTERVAL_MS: '5s' })).toThrow('REPLICA_STATUS_INTERVAL_MS');
  });

  it('asks a consuming context for Kafka, its database, retention and batch size', () => {
    const options = { service: 'ordering', database, messaging: true, consumes: true };
    const settings = platformSettingsFromEnv(options, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', DB_SHARDS, CONSUMER_BATCH_SIZE: '5' });
    expect(settings.kafka?.brokers).toEqual(['kafka:9092']);
    expect(settings.database?.shards).toHaveLength(1);
    expect(settings.messageRetention?.inboxSeconds).toBe(8 * 86_400);
    expect(settings.consumerBatchSize).toBe(5);
    expect(() => platformSettingsFromEnv(options, { PORT: '8080', DB_SHARDS })).toThrow('KAFKA_BROKERS');
    expect(() => platformSettingsFromEnv(options, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092' })).toThrow('DB_SHARDS');
  });

  it('refuses a log level it does not know instead of logging at another', () => {
    expect(platformSettingsFromEnv({ service: 'gateway' }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', LOG_LEVEL: 'info' }).logLevels).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(() => platformSettingsFromEnv({ service: 'gateway' }, { PORT: '8080', KAFKA_BROKERS: 'kafka:9092', LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL');
  });
});
