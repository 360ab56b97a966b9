import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A refunded order is a third notice, delivered once per channel like the others. */
export class RefundNotices1764000000002 implements MigrationInterface {
  name = 'RefundNotices1764000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE deliveries
        DROP CONSTRAINT deliveries_event_check,
        ADD CONSTRAINT deliveries_event_check CHECK (event IN ('order.confirmed', 'order.rejected', 'order.refunded'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM deliveries WHERE event = 'order.refunded'`);
    await runner.query(`
      ALTER TABLE deliveries
        DROP CONSTRAINT deliveries_event_check,
        ADD CONSTRAINT deliveries_event_check CHECK (event IN ('order.confirmed', 'order.rejected'))`);
  }
}
