import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs on every shard. Issued tickets live on their show's shard, so every
 * key of `ticketed_orders` and `tickets` starts with show_id; the customer
 * read model lives on the customer's shard, keyed by customer_id.
 */
export class CreateTicketing1764000000001 implements MigrationInterface {
  name = 'CreateTicketing1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ticketed_orders (
        show_id      uuid NOT NULL,
        order_id     uuid NOT NULL,
        customer_id  text NOT NULL,
        ticket_count int NOT NULL,
        issued_by    uuid NOT NULL,
        issued_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (show_id, order_id)
      )`);
    await runner.query(`
      CREATE TABLE tickets (
        show_id      uuid NOT NULL,
        ticket_id    uuid NOT NULL,
        order_id     uuid NOT NULL,
        seat_id      text NOT NULL,
        customer_id  text NOT NULL,
        price_minor  bigint NOT NULL,
        currency     text NOT NULL,
        code         text NOT NULL,
        status       text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void')),
        issued_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (show_id, ticket_id),
        FOREIGN KEY (show_id, order_id) REFERENCES ticketed_orders (show_id, order_id)
      )`);
    // The last line of defence: whatever a bug upstream sends, a seat has at most one valid ticket.
    await runner.query(`CREATE UNIQUE INDEX tickets_one_valid_per_seat ON tickets (show_id, seat_id) WHERE status = 'valid'`);
    await runner.query(`CREATE INDEX tickets_by_order ON tickets (show_id, order_id)`);
    await runner.query(`
      CREATE TABLE customer_tickets (
        customer_id text NOT NULL,
        ticket_id   uuid NOT NULL,
        order_id    uuid NOT NULL,
        show_id     uuid NOT NULL,
        seat_id     text NOT NULL,
        code        text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, ticket_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE customer_tickets`);
    await runner.query(`DROP TABLE tickets`);
    await runner.query(`DROP TABLE ticketed_orders`);
  }
}
