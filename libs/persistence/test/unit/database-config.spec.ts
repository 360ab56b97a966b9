import { databaseConfigFromEnv } from '../../src/database-config.js';

const DB_SHARDS = JSON.stringify([{ primary: 'postgres://app@127.0.0.1:5432/orders' }]);

describe('databaseConfigFromEnv', () => {
  it('prepares statements unless told not to', () => {
    expect(databaseConfigFromEnv({ DB_SHARDS }).preparedStatements).toBe(true);
    expect(databaseConfigFromEnv({ DB_SHARDS, DB_PREPARED_STATEMENTS: 'false' }).preparedStatements).toBe(false);
  });

  it('opens up to 10 connections per database node unless DB_POOL_SIZE says otherwise', () => {
    expect(databaseConfigFromEnv({ DB_SHARDS }).poolSize).toBe(10);
    expect(databaseConfigFromEnv({ DB_SHARDS, DB_POOL_SIZE: '4' }).poolSize).toBe(4);
    expect(() => databaseConfigFromEnv({ DB_SHARDS, DB_POOL_SIZE: '1' })).toThrow('DB_POOL_SIZE must be a whole number from 2 to 100');
    expect(() => databaseConfigFromEnv({ DB_SHARDS, DB_POOL_SIZE: 'ten' })).toThrow('DB_POOL_SIZE');
  });

  it('names the setting it cannot read', () => {
    expect(() => databaseConfigFromEnv({ DB_SHARDS, DB_PREPARED_STATEMENTS: 'no' })).toThrow('DB_PREPARED_STATEMENTS must be true or false');
    expect(() => databaseConfigFromEnv({})).toThrow('Missing setting DB_SHARDS');
  });
});
