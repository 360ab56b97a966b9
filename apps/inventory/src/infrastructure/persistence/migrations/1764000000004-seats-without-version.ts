import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seats keep no version: nothing ever checked it. A decision's writes are
 * guarded by each event's precondition instead (docs/adr/0030), and the one
 * optimistic-concurrency idiom, a version checked on write, belongs to class
 * aggregates (docs/adr/0031).
 */
export class SeatsWithoutVersion1764000000004 implements MigrationInterface {
  name = 'SeatsWithoutVersion1764000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE seats DROP COLUMN version`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE seats ADD COLUMN version int NOT NULL DEFAULT 1`);
  }
}
