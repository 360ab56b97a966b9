import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries are the outbox of effects that leave the system. One per
 * (order, event, channel): a second event about the same order outcome sends
 * nothing new, whatever its message id.
 */
export class CreateNotifications1764000000001 implements MigrationInterface {
  name = 'CreateNotifications1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE deliveries (
        id              uuid PRIMARY KEY,
        order_id        uuid NOT NULL,
        event           text NOT NULL CHECK (event IN ('order.confirmed', 'order.rejected')),
        channel         text NOT NULL CHECK (channel IN ('mail', 'webhook')),
        target          text NOT NULL,
        payload         jsonb NOT NULL,
        status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'rejected')),
        attempts        int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error      text,
        correlation_id  text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz,
        UNIQUE (order_id, event, channel)
      )`);
    await runner.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE deliveries`);
  }
}
