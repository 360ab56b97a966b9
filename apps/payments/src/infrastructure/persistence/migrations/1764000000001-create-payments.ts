import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment intents and the double-entry ledger. The database repeats the
 * domain's rules as its last line of defence: one intent per order, one
 * movement of each kind per payment (never captured twice), every ledger
 * transaction balanced per currency (checked at commit), and a ledger that is
 * only ever appended to.
 */
export class CreatePayments1764000000001 implements MigrationInterface {
  name = 'CreatePayments1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE payment_intents (
        order_id       uuid PRIMARY KEY,
        payment_id     uuid UNIQUE,
        customer_id    text,
        amount_minor   bigint CHECK (amount_minor >= 0),
        currency       text CHECK (currency ~ '^[A-Z]{3}$'),
        status         text NOT NULL CHECK (status IN ('authorized', 'declined', 'captured', 'voided', 'refunded')),
        decline_reason text,
        version        int NOT NULL CHECK (version > 0),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        -- Either a whole requested payment, or none: an order voided before it was authorized.
        CONSTRAINT payment_intents_requested CHECK (
          (payment_id IS NOT NULL AND customer_id IS NOT NULL AND amount_minor IS NOT NULL AND currency IS NOT NULL)
          OR (payment_id IS NULL AND customer_id IS NULL AND amount_minor IS NULL AND currency IS NULL AND status = 'voided')),
        CONSTRAINT payment_intents_decline_reason CHECK ((status = 'declined') = (decline_reason IS NOT NULL))
      )`);
    await runner.query(`
      CREATE TABLE ledger_transactions (
        id          uuid PRIMARY KEY,
        payment_id  uuid NOT NULL REFERENCES payment_intents (payment_id),
        order_id    uuid NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('authorization', 'capture', 'void', 'refund')),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_transactions_once_per_kind UNIQUE (payment_id, kind)
      )`);
    await runner.query(`CREATE INDEX ledger_transactions_order ON ledger_transactions (order_id)`);
    await runner.query(`
      CREATE TABLE ledger_entries (
        id             bigserial PRIMARY KEY,
        transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
        account        text NOT NULL,
        currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        -- Minor units: positive is a debit, negative a credit.
        amount_minor   bigint NOT NULL CHECK (amount_minor <> 0)
      )`);
    await runner.query(`CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id)`);

    // Checked at commit (deferred), once all of a transaction's entries are in.
    await runner.query(`
      CREATE FUNCTION ledger_transaction_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        checked uuid;
        entry_count int;
        unbalanced text;
      BEGIN
        IF TG_TABLE_NAME = 'ledger_entries' THEN
          checked := NEW.transaction_id;
        ELSE
          checked := NEW.id;
        END IF;
        SELECT count(*) INTO entry_count FROM ledger_entries WHERE transaction_id = checked;
        IF entry_count < 2 THEN
          RAISE EXCEPTION 'ledger transaction % has % entries; it needs at least two', checked, entry_count USING ERRCODE = 'check_violation';
        END IF;
        SELECT string_agg(currency || ' ' || total, ', ') INTO unbalanced
          FROM (SELECT currency, sum(amount_minor) AS total FROM ledger_entries WHERE transaction_id = checked GROUP BY currency HAVING sum(amount_minor) <> 0) AS sums;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'ledger transaction % does not balance: %', checked, unbalanced USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE CONSTRAINT TRIGGER ledger_transactions_balance AFTER INSERT ON ledger_transactions
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_must_balance()`);
    await runner.query(`
      CREATE CONSTRAINT TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_must_balance()`);

    // A booked movement is corrected by a new transaction, never by editing history.
    await runner.query(`
      CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['ledger_transactions', 'ledger_entries']) {
      await runner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()`);
      await runner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only()`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ledger_entries`);
    await runner.query(`DROP TABLE ledger_transactions`);
    await runner.query(`DROP FUNCTION ledger_is_append_only()`);
    await runner.query(`DROP FUNCTION ledger_transaction_must_balance()`);
    await runner.query(`DROP TABLE payment_intents`);
  }
}
