import { databaseConfigFromEnv } from '../../src/database-config.js';

const DB_SHARDS = JSON.stringify([{ primary: 'postgres://app@127.0.0.1:5432/orders' }]);

describe('databaseConfigFromEnv', () => {
  it('prepares statements unless told not to', () => {
    expect(databaseConfigFromEnv({ DB_SHARDS }).preparedStatements).toBe(true);
    expect(databaseConfigFromEnv({ DB_SHARDS, DB_PREPARED_STATEMENTS: 'false' }).preparedStatements).toBe(false);
  });

  it('names the setting it cannot read', () => {
    expect(() => databaseConfigFromEnv({ DB_SHARDS, DB_PREPARED_STATEMENTS: 'no' })).toThrow('DB_PREPARED_STATEMENTS must be true or false');
    expect(() => databaseConfigFromEnv({})).toThrow('Missing setting DB_SHARDS');
  });
});
