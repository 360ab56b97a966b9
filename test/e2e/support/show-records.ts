import { queryDatabase, type RunningStackInfo } from '@boxoffice/testing';

/** The status of every order of a show, read on each of ordering's shards (orders are sharded by order id). */
export async function orderStatuses(stack: RunningStackInfo, showId: string): Promise<string[]> {
  const statuses: string[] = [];
  for (const shard of stack.databases.ordering) {
    const rows = await queryDatabase<{ status: string }>(shard.primary, `SELECT status FROM orders WHERE show_id = $1`, [showId]);
    statuses.push(...rows.map((r) => r.status));
  }
  return statuses;
}

/** The kinds of an order's ledger transactions in payments, sorted. */
export async function ledgerKinds(stack: RunningStackInfo, orderId: string): Promise<string[]> {
  const kinds: string[] = [];
  for (const shard of stack.databases.payments) {
    const rows = await queryDatabase<{ kind: string }>(shard.primary, `SELECT kind FROM ledger_transactions WHERE order_id = $1`, [orderId]);
    kinds.push(...rows.map((r) => r.kind));
  }
  return kinds.sort();
}
