import { databaseConfigFromEnv } from '../../src/database-config.js';

const DB_SHARDS = JSON.stringify([{ primary: 'postgres://ordering:secret@127.0.0.1:5432/ordering' }]);

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

  it("refuses a node without the context's own role and password, naming neither the URL nor a password", () => {
    const shards = (primary: string, replica = 'postgres://ordering:secret@127.0.0.1:5433/ordering') => JSON.stringify([{ primary, replicas: [replica] }]);
    expect(() => databaseConfigFromEnv({ DB_SHARDS: shards('postgres://127.0.0.1:5432/ordering') })).toThrow(/DB_SHARDS is invalid: .*names no database role/s);
    expect(() => databaseConfigFromEnv({ DB_SHARDS: shards('postgres://ordering@127.0.0.1:5432/ordering') })).toThrow(/gives no password for the database role ordering/);
    const replicaWithout = shards('postgres://ordering:secret@127.0.0.1:5432/ordering', 'postgres://ordering@127.0.0.1:5433/ordering');
    expect(() => databaseConfigFromEnv({ DB_SHARDS: replicaWithout })).toThrow(/gives no password[\s\S]*replicas\[0\]/);
    // Kubernetes leaves $(DB_PASSWORD) as it is when the variable is not defined before DB_SHARDS.
    expect(() => databaseConfigFromEnv({ DB_SHARDS: shards('postgres://ordering:$(DB_PASSWORD)@pg-shard-0-rw:5432/ordering') })).toThrow(/unexpanded \$\(NAME\)/);
    const message = (() => {
      try {
        databaseConfigFromEnv({ DB_SHARDS: replicaWithout });
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^Setting DB_SHARDS is invalid/);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('127.0.0.1');
  });
});
