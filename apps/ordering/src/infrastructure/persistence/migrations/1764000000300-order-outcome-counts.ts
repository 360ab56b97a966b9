import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many orders each shard has placed, confirmed and rejected since it
 * began, for the operations console's orders per second (docs/adr/0038).
 *
 * Triggers count, in the transaction that inserts or settles the order, so
 * every writer of `orders` is counted (an older replica during a rolling
 * update too) and a rolled-back order is not. The count is striped over 64
 * rows by the backend's pid: concurrent transactions (each on its own
 * connection) almost never wait for one another's counter row, which a single
 * row per shard would make them do until each commit reached the synchronous
 * standby. A reader sums the rows. The triggers are deferred to the commit:
 * the counter row is the last lock a transaction takes, after every order it
 * changes (a batch of saga replies, a sweep of timed-out steps), so two
 * transactions that meet on a counter row never wait for each other in a cycle.
 *
 * An order is counted settled when it leaves the checkout's states: rejected,
 * or confirmed, which it may leave in the same transaction for a refund (the
 * payment captured for a show cancelled meanwhile), so an order that reaches
 * `refunding` from the checkout counts as confirmed, and one that goes back
 * from `refunding` to `confirmed` (a refund refused) does not count again.
 *
 * The baseline is counted here, once: creating the triggers locks `orders`
 * against writes until this migration commits, so no order is counted twice
 * or missed. An order ever confirmed is `confirmed`, `refunding` or `refunded`.
 */
export class OrderOutcomeCounts1764000000300 implements MigrationInterface {
  name = 'OrderOutcomeCounts1764000000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE order_outcome_counts (
        slot      smallint PRIMARY KEY,
        placed    bigint NOT NULL DEFAULT 0,
        confirmed bigint NOT NULL DEFAULT 0,
        rejected  bigint NOT NULL DEFAULT 0
      )`);
    await runner.query(`
      CREATE FUNCTION count_order_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        outcome text := TG_ARGV[0];
      BEGIN
        IF outcome = 'settled' THEN outcome := CASE NEW.status WHEN 'rejected' THEN 'rejected' ELSE 'confirmed' END; END IF;
        INSERT INTO order_outcome_counts AS counts (slot, placed, confirmed, rejected)
          VALUES (pg_backend_pid() % 64, (outcome = 'placed')::int, (outcome = 'confirmed')::int, (outcome = 'rejected')::int)
          ON CONFLICT (slot) DO UPDATE SET
            placed = counts.placed + excluded.placed,
            confirmed = counts.confirmed + excluded.confirmed,
            rejected = counts.rejected + excluded.rejected;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE CONSTRAINT TRIGGER orders_count_placed AFTER INSERT ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        EXECUTE FUNCTION count_order_outcome('placed')`);
    await runner.query(`
      CREATE CONSTRAINT TRIGGER orders_count_settled AFTER UPDATE OF status ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (OLD.status NOT IN ('confirmed', 'rejected', 'refunding', 'refunded') AND NEW.status IN ('confirmed', 'rejected', 'refunding', 'refunded'))
        EXECUTE FUNCTION count_order_outcome('settled')`);
    await runner.query(`
      INSERT INTO order_outcome_counts (slot, placed, confirmed, rejected)
      SELECT 0, count(*), count(*) FILTER (WHERE status IN ('confirmed', 'refunding', 'refunded')), count(*) FILTER (WHERE status = 'rejected')
      FROM orders`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER orders_count_settled ON orders`);
    await runner.query(`DROP TRIGGER orders_count_placed ON orders`);
    await runner.query(`DROP FUNCTION count_order_outcome()`);
    await runner.query(`DROP TABLE order_outcome_counts`);
  }
}
