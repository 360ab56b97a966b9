import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who holds or bought each seat and until when a hold lasts; the show's prices for answering holds. */
export class SeatHolds1764000000002 implements MigrationInterface {
  name = 'SeatHolds1764000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE shows_on_sale ADD COLUMN price_tiers jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`ALTER TABLE seats ADD COLUMN order_id uuid, ADD COLUMN held_until timestamptz`);
    // A seat is free exactly when nobody has it: the database refuses any other combination.
    await runner.query(`
      ALTER TABLE seats ADD CONSTRAINT seat_owner_matches_status CHECK (
        (status = 'free' AND order_id IS NULL AND held_until IS NULL) OR
        (status = 'held' AND order_id IS NOT NULL AND held_until IS NOT NULL) OR
        (status = 'sold' AND order_id IS NOT NULL AND held_until IS NULL))`);
    await runner.query(`CREATE INDEX seats_by_order ON seats (show_id, order_id) WHERE order_id IS NOT NULL`);
    await runner.query(`CREATE INDEX seats_hold_expiry ON seats (held_until) WHERE status = 'held'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX seats_hold_expiry`);
    await runner.query(`DROP INDEX seats_by_order`);
    await runner.query(`ALTER TABLE seats DROP CONSTRAINT seat_owner_matches_status`);
    await runner.query(`ALTER TABLE seats DROP COLUMN held_until, DROP COLUMN order_id`);
    await runner.query(`ALTER TABLE shows_on_sale DROP COLUMN price_tiers`);
  }
}
