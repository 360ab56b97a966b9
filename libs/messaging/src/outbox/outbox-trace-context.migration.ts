import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C `traceparent` of the transaction that staged an outbox row, so the
 * relay publishes the message as a hop of that trace (docs/observability.md).
 * Null for a row staged outside a trace or with tracing off.
 */
export class OutboxTraceContext1764000000200 implements MigrationInterface {
  name = 'OutboxTraceContext1764000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox ADD COLUMN traceparent text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
  }
}
