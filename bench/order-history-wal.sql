-- The WAL an order's saga history costs (docs/adr/0039): the happy path's four status updates over
-- 5,000 orders, without and with the history column, in a scratch database of a Postgres with pg_walinspect
-- (e.g. the local stack's): `createdb scratch && psql -d scratch -f bench/order-history-wal.sql`.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS pg_walinspect;
DROP TABLE IF EXISTS o_plain, o_hist;
CREATE TABLE o_plain (
  order_id uuid PRIMARY KEY, version int NOT NULL, fingerprint text NOT NULL, customer_id text NOT NULL, customer_email text NOT NULL,
  show_id uuid NOT NULL, seat_ids text[] NOT NULL, callback_url text, status text NOT NULL, rejection_reason text,
  seats jsonb NOT NULL DEFAULT '[]', total jsonb, payment_id uuid, placed_at timestamptz NOT NULL DEFAULT now(),
  step_deadline timestamptz, show_cancelled boolean NOT NULL DEFAULT false);
CREATE INDEX ON o_plain (step_deadline) WHERE step_deadline IS NOT NULL;
CREATE INDEX ON o_plain (customer_id, placed_at, order_id);
CREATE INDEX ON o_plain (show_id, placed_at);
CREATE TABLE o_hist (LIKE o_plain INCLUDING ALL, history jsonb NOT NULL DEFAULT '[]');
INSERT INTO o_plain (order_id, version, fingerprint, customer_id, customer_email, show_id, seat_ids, status, step_deadline)
  SELECT gen_random_uuid(), 1, repeat('f', 64), 'customer-' || i, 'c' || i || '@example.test', gen_random_uuid(), ARRAY['A-1-1','A-1-2'], 'holding-seats', now() + interval '30 s'
  FROM generate_series(1, 5000) i;
INSERT INTO o_hist SELECT *, jsonb_build_array(jsonb_build_object('status', 'holding-seats', 'reason', null, 'at', now())) FROM o_plain;
CHECKPOINT;
SELECT pg_current_wal_lsn() AS start_plain \gset
UPDATE o_plain SET version = version + 1, status = 'authorizing-payment', seats = '[{"seatId":"A-1-1","price":{"amountMinor":4500,"currency":"EUR"}},{"seatId":"A-1-2","price":{"amountMinor":4500,"currency":"EUR"}}]', total = '{"amountMinor":9000,"currency":"EUR"}', step_deadline = now() + interval '30 s';
UPDATE o_plain SET version = version + 1, status = 'confirming-seats', payment_id = gen_random_uuid(), step_deadline = now() + interval '30 s';
UPDATE o_plain SET version = version + 1, status = 'capturing-payment', step_deadline = now() + interval '30 s';
UPDATE o_plain SET version = version + 1, status = 'confirmed', step_deadline = NULL;
SELECT pg_current_wal_lsn() AS end_plain \gset
SELECT round(pg_wal_lsn_diff(:'end_plain', :'start_plain') / 20000.0) AS plain_total, round(sum(combined_size) FILTER (WHERE true) / 20000.0) AS plain_combined, round(sum(record_size) / 20000.0) AS plain_records_without_fpi, round(sum(fpi_size) / 20000.0) AS plain_fpi FROM pg_get_wal_stats(:'start_plain', :'end_plain');
CHECKPOINT;
SELECT pg_current_wal_lsn() AS start_hist \gset
UPDATE o_hist SET version = version + 1, status = 'authorizing-payment', seats = '[{"seatId":"A-1-1","price":{"amountMinor":4500,"currency":"EUR"}},{"seatId":"A-1-2","price":{"amountMinor":4500,"currency":"EUR"}}]', total = '{"amountMinor":9000,"currency":"EUR"}', step_deadline = now() + interval '30 s', history = history || jsonb_build_array(jsonb_build_object('status', 'authorizing-payment', 'reason', null, 'at', now()));
UPDATE o_hist SET version = version + 1, status = 'confirming-seats', payment_id = gen_random_uuid(), step_deadline = now() + interval '30 s', history = history || jsonb_build_array(jsonb_build_object('status', 'confirming-seats', 'reason', null, 'at', now()));
UPDATE o_hist SET version = version + 1, status = 'capturing-payment', step_deadline = now() + interval '30 s', history = history || jsonb_build_array(jsonb_build_object('status', 'capturing-payment', 'reason', null, 'at', now()));
UPDATE o_hist SET version = version + 1, status = 'confirmed', step_deadline = NULL, history = history || jsonb_build_array(jsonb_build_object('status', 'confirmed', 'reason', null, 'at', now()));
SELECT pg_current_wal_lsn() AS end_hist \gset
SELECT round(pg_wal_lsn_diff(:'end_hist', :'start_hist') / 20000.0) AS hist_total, round(sum(combined_size) / 20000.0) AS hist_combined, round(sum(record_size) / 20000.0) AS hist_records_without_fpi, round(sum(fpi_size) / 20000.0) AS hist_fpi FROM pg_get_wal_stats(:'start_hist', :'end_hist');
SELECT avg(pg_column_size(o_plain.*))::int AS plain_row_bytes FROM o_plain;
SELECT avg(pg_column_size(o_hist.*))::int AS hist_row_bytes, avg(pg_column_size(history))::int AS history_bytes FROM o_hist;
DROP TABLE o_plain, o_hist;
