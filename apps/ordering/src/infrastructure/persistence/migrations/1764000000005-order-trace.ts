import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace of the request that placed each order (docs/adr/0044): the
 * operations console links a saga in flight to its trace. Null for orders
 * placed without tracing, or before this column: adding a nullable column
 * without a default rewrites nothing.
 */
export class OrderTrace1764000000005 implements MigrationInterface {
  name = 'OrderTrace1764000000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE orders ADD COLUMN trace_id text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE orders DROP COLUMN trace_id`);
  }
}
