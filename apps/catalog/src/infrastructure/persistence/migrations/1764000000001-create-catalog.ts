import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalog1764000000001 implements MigrationInterface {
  name = 'CreateCatalog1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE venues (
        id       uuid PRIMARY KEY,
        version  int NOT NULL,
        name     text NOT NULL,
        sections jsonb NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE shows (
        id          uuid PRIMARY KEY,
        version     int NOT NULL,
        venue_id    uuid NOT NULL REFERENCES venues (id),
        title       text NOT NULL,
        starts_at   timestamptz NOT NULL,
        price_tiers jsonb NOT NULL,
        status      text NOT NULL CHECK (status IN ('draft', 'published', 'cancelled'))
      )`);
    await runner.query(`CREATE INDEX shows_status ON shows (status, starts_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE shows`);
    await runner.query(`DROP TABLE venues`);
  }
}
