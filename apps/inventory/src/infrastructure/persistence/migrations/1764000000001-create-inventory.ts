import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs on every shard. Every key includes show_id, the shard key, so a
 * uniqueness rule never needs a cross-shard check.
 */
export class CreateInventory1764000000001 implements MigrationInterface {
  name = 'CreateInventory1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE shows_on_sale (
        show_id    uuid PRIMARY KEY,
        seat_count int NOT NULL,
        opened_by  uuid NOT NULL,
        opened_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE seats (
        show_id     uuid NOT NULL REFERENCES shows_on_sale (show_id),
        seat_id     text NOT NULL,
        section     text NOT NULL,
        row_label   text NOT NULL,
        seat_number int NOT NULL,
        price_tier  text NOT NULL,
        status      text NOT NULL DEFAULT 'free' CHECK (status IN ('free', 'held', 'sold')),
        version     int NOT NULL DEFAULT 1,
        PRIMARY KEY (show_id, seat_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE seats`);
    await runner.query(`DROP TABLE shows_on_sale`);
  }
}
