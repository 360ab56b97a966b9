import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trace a delivery belongs to (W3C `traceparent` of the message that planned it): its sending joins that trace. */
export class DeliveryTraceContext1764000000003 implements MigrationInterface {
  name = 'DeliveryTraceContext1764000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE deliveries ADD COLUMN traceparent text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE deliveries DROP COLUMN traceparent`);
  }
}
