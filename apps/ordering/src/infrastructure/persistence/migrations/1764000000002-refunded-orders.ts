import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunded is settled too: a refunded order has no step deadline, while a
 * refunding one has. The first migration's check named only confirmed and
 * rejected, so it is replaced, under a name of its own.
 */
export class RefundedOrders1764000000002 implements MigrationInterface {
  name = 'RefundedOrders1764000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_check,
        ADD CONSTRAINT orders_settled_has_no_deadline CHECK ((status IN ('confirmed', 'rejected', 'refunded')) = (step_deadline IS NULL))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_settled_has_no_deadline,
        ADD CONSTRAINT orders_check CHECK ((status IN ('confirmed', 'rejected')) = (step_deadline IS NULL))`);
  }
}
