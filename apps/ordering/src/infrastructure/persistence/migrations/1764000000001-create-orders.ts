import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs on every shard; orders are sharded by order id. */
export class CreateOrders1764000000001 implements MigrationInterface {
  name = 'CreateOrders1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE orders (
        order_id         uuid PRIMARY KEY,
        version          int NOT NULL,
        fingerprint      text NOT NULL,
        customer_id      text NOT NULL,
        customer_email   text NOT NULL,
        show_id          uuid NOT NULL,
        seat_ids         text[] NOT NULL,
        callback_url     text,
        status           text NOT NULL,
        rejection_reason text,
        seats            jsonb NOT NULL DEFAULT '[]',
        total            jsonb,
        payment_id       uuid,
        placed_at        timestamptz NOT NULL DEFAULT now(),
        -- When the current saga step gives up; null once the order is settled.
        step_deadline    timestamptz,
        CHECK ((status IN ('confirmed', 'rejected')) = (step_deadline IS NULL))
      )`);
    await runner.query(`CREATE INDEX orders_due ON orders (step_deadline) WHERE step_deadline IS NOT NULL`);
    await runner.query(`CREATE INDEX orders_by_customer ON orders (customer_id, placed_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE orders`);
  }
}
