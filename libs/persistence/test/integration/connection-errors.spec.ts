import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { oneShardRouter, queryDatabase, runningStack } from '@boxoffice/testing';

/**
 * A connection whose server session ends while it is checked out of the pool
 * (a killed primary ends every session that way) must fail the work on it,
 * never the process: node-postgres raises an `error` event on the client, and
 * an event without a listener ends a Node process.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;

describe('a connection ended by the server', () => {
  it('fails what ran on it, and the process and the pool go on', async () => {
    const router = oneShardRouter(shard0.primary, 'connection-errors-test');
    try {
      await router.initialize();
      const pool = (router.shards[0].primaryDataSource().driver as PostgresDriver).master as Pool;
      // Checked out and left without a listener of its own, as TypeORM leaves a connection it has handed back.
      const client = await pool.connect();
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      await queryDatabase(shard0.primary, 'SELECT pg_terminate_backend($1)', [pid]);
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);

      const [row] = await router.writer().transaction((manager) => manager.query('SELECT 1 AS one'));
      expect(row.one).toBe(1);
    } finally {
      await router.destroy();
    }
  });
});
