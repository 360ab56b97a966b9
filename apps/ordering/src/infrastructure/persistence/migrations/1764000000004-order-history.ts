import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The saga steps each order passed (docs/adr/0039): a JSON array on the
 * order's row, appended to by the statement that changes its status. Orders
 * placed before it start with an empty history: a constant default adds the
 * column without rewriting the table.
 *
 * A customer's orders are listed newest first a page at a time, after the
 * (placed_at, order_id) of the last one shown: the index of the first
 * migration gains order_id, so that the page is one backward index scan per
 * shard, ties on placed_at included.
 */
export class OrderHistory1764000000004 implements MigrationInterface {
  name = 'OrderHistory1764000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE orders ADD COLUMN history jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`CREATE INDEX orders_by_customer_newest ON orders (customer_id, placed_at, order_id)`);
    await runner.query(`DROP INDEX orders_by_customer`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX orders_by_customer ON orders (customer_id, placed_at)`);
    await runner.query(`DROP INDEX orders_by_customer_newest`);
    await runner.query(`ALTER TABLE orders DROP COLUMN history`);
  }
}
