import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shows called off. A table of its own, not a flag on shows_on_sale: the
 * cancellation may arrive before the publication (they travel on different
 * topics), and must then stop the show from ever going on sale.
 */
export class CancelledShows1764000000003 implements MigrationInterface {
  name = 'CancelledShows1764000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE cancelled_shows (
        show_id      uuid PRIMARY KEY,
        cancelled_by uuid NOT NULL,
        cancelled_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE cancelled_shows`);
  }
}
