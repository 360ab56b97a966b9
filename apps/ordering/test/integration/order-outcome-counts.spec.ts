import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { runningStack } from '@boxoffice/testing';

/**
 * The counters behind orders per second (migration 1764000000300,
 * docs/adr/0038), on a real ordering shard: every order placed counts once,
 * every order that leaves the checkout confirmed or rejected counts once,
 * whatever it does next. Each case runs in one repeatable-read transaction
 * that is rolled back: it sees its own writes and nobody else's, so the
 * counts must move by exactly what it did, and it leaves nothing behind.
 * The counting triggers are deferred to the commit; `SET CONSTRAINTS ALL
 * IMMEDIATE` runs them where a case looks, as a commit would.
 */
const stack = runningStack();
const { primary } = stack.databases.ordering[0]!;

interface Counts {
  placed: number;
  confirmed: number;
  rejected: number;
}

type CountsReader = (options?: { asAtCommit?: boolean }) => Promise<Counts>;

async function inRolledBackTransaction(work: (client: pg.Client, counts: CountsReader) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: primary });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const counts = async ({ asAtCommit = true } = {}): Promise<Counts> => {
      if (asAtCommit) await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      await client.query('SET CONSTRAINTS ALL DEFERRED');
      const { rows } = await client.query<Record<keyof Counts, string>>(
        'SELECT coalesce(sum(placed), 0) AS placed, coalesce(sum(confirmed), 0) AS confirmed, coalesce(sum(rejected), 0) AS rejected FROM order_outcome_counts',
      );
      return { placed: Number(rows[0]!.placed), confirmed: Number(rows[0]!.confirmed), rejected: Number(rows[0]!.rejected) };
    };
    await work(client, counts);
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
}

async function place(client: pg.Client, orderId: string = randomUUID()): Promise<{ rowCount: number; orderId: string }> {
  const result = await client.query(
    `INSERT INTO orders (order_id, version, fingerprint, customer_id, customer_email, show_id, seat_ids, status, step_deadline)
     VALUES ($1, 1, 'f', 'counted-customer', 'c@example.test', $2, '{A-1-1}', 'holding-seats', now() + interval '1 hour')
     ON CONFLICT (order_id) DO NOTHING`,
    [orderId, randomUUID()],
  );
  return { rowCount: result.rowCount ?? 0, orderId };
}

async function move(client: pg.Client, orderId: string, status: string): Promise<void> {
  const settled = ['confirmed', 'rejected', 'refunded'].includes(status);
  await client.query(`UPDATE orders SET status = $2, step_deadline = ${settled ? 'NULL' : "now() + interval '1 hour'"} WHERE order_id = $1`, [orderId, status]);
}

const delta = (before: Counts, after: Counts): Counts => ({ placed: after.placed - before.placed, confirmed: after.confirmed - before.confirmed, rejected: after.rejected - before.rejected });

describe("ordering's order outcome counters", () => {
  it('count an order placed once, at its commit, and not the same order placed again', async () => {
    await inRolledBackTransaction(async (client, counts) => {
      const before = await counts();
      const { orderId } = await place(client);
      expect((await place(client, orderId)).rowCount).toBe(0);
      // Not yet: the counter row is taken at the commit, after every other lock of the transaction.
      expect(delta(before, await counts({ asAtCommit: false }))).toEqual({ placed: 0, confirmed: 0, rejected: 0 });
      expect(delta(before, await counts())).toEqual({ placed: 1, confirmed: 0, rejected: 0 });
    });
  });

  it('count a checkout that confirms once, through a refund and a refund refused (back to confirmed)', async () => {
    await inRolledBackTransaction(async (client, counts) => {
      const before = await counts();
      const { orderId } = await place(client);
      for (const status of ['authorizing-payment', 'confirming-seats', 'capturing-payment']) await move(client, orderId, status);
      expect(delta(before, await counts())).toEqual({ placed: 1, confirmed: 0, rejected: 0 });
      await move(client, orderId, 'confirmed');
      expect(delta(before, await counts())).toEqual({ placed: 1, confirmed: 1, rejected: 0 });
      for (const status of ['refunding', 'confirmed', 'refunding', 'refunded']) await move(client, orderId, status);
      expect(delta(before, await counts())).toEqual({ placed: 1, confirmed: 1, rejected: 0 });
    });
  });

  it('count as confirmed a checkout that goes straight on to a refund (its show was cancelled meanwhile)', async () => {
    await inRolledBackTransaction(async (client, counts) => {
      const before = await counts();
      const { orderId } = await place(client);
      await move(client, orderId, 'capturing-payment');
      await move(client, orderId, 'refunding');
      expect(delta(before, await counts())).toEqual({ placed: 1, confirmed: 1, rejected: 0 });
    });
  });

  it('count a rejected checkout once, whichever step it failed at', async () => {
    await inRolledBackTransaction(async (client, counts) => {
      const before = await counts();
      const early = await place(client);
      await move(client, early.orderId, 'rejected');
      const late = await place(client);
      for (const status of ['authorizing-payment', 'voiding-payment', 'releasing-seats', 'rejected']) await move(client, late.orderId, status);
      await client.query(`UPDATE orders SET version = version + 1 WHERE order_id = $1`, [late.orderId]);
      expect(delta(before, await counts())).toEqual({ placed: 2, confirmed: 0, rejected: 2 });
    });
  });
});
