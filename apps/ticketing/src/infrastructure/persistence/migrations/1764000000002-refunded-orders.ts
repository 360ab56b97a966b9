import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds. On the show's shard, `ticketed_orders` remembers which refund
 * voided an order's tickets; a refund that overtakes its order's confirmation
 * claims the order first (no issuer, no tickets), so the late confirmation
 * issues nothing. On the customer's shard, `customer_refunded_orders` does
 * the same for the read model: tickets announced after their order's refund
 * are not listed.
 */
export class RefundedOrders1764000000002 implements MigrationInterface {
  name = 'RefundedOrders1764000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ticketed_orders ADD COLUMN refunded_by uuid, ALTER COLUMN issued_by DROP NOT NULL`);
    await runner.query(`ALTER TABLE ticketed_orders ADD CONSTRAINT ticketed_orders_issued_or_refunded CHECK (issued_by IS NOT NULL OR refunded_by IS NOT NULL)`);
    await runner.query(`
      CREATE TABLE customer_refunded_orders (
        customer_id text NOT NULL,
        order_id    uuid NOT NULL,
        refunded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, order_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE customer_refunded_orders`);
    await runner.query(`DELETE FROM ticketed_orders WHERE issued_by IS NULL`);
    await runner.query(`ALTER TABLE ticketed_orders DROP CONSTRAINT ticketed_orders_issued_or_refunded`);
    await runner.query(`ALTER TABLE ticketed_orders ALTER COLUMN issued_by SET NOT NULL, DROP COLUMN refunded_by`);
  }
}
