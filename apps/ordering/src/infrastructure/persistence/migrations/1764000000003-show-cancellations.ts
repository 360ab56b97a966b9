import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An order refunded (or to be refunded) because its show was cancelled, and
 * an index to list a show's orders on each shard (docs/adr/0026).
 */
export class ShowCancellations1764000000003 implements MigrationInterface {
  name = 'ShowCancellations1764000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE orders ADD COLUMN show_cancelled boolean NOT NULL DEFAULT false`);
    await runner.query(`CREATE INDEX orders_by_show ON orders (show_id, placed_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX orders_by_show`);
    await runner.query(`ALTER TABLE orders DROP COLUMN show_cancelled`);
  }
}
