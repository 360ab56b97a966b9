import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import { OrderOutcomeCounts1764000000300 } from '../apps/ordering/src/infrastructure/persistence/migrations/1764000000300-order-outcome-counts.js';
import type { StackDescription } from '../tools/stack/stack-description.js';
import { cpuClock, shardNodePids } from './cpu.js';
import { median, percentile, round, table } from './stats.js';

/**
 * What ordering's outcome counters (docs/adr/0038) add to a sale's hot path:
 * the same orders placed and confirmed on ordering shard 0 of a running
 * stack, in a scratch schema (a copy of `orders`, dropped afterwards), without
 * the triggers and with them, round after round in turn so that the rest of
 * the machine's load falls on both alike. Each order is the saga's two
 * writes the triggers fire on: the INSERT that places it and the UPDATE that
 * confirms it, each a synchronous commit, from `CONNECTIONS` connections at
 * once. CPU is the shard's Postgres nodes' and this process's.
 *
 * With `one-row`, the counters are the same but kept in one row per shard
 * (slot 0 for every connection): what the striping saves.
 *
 *   node dist/bench/outcome-counters.js [stack directory, default .boxoffice/test] [seconds per round, default 10] [one-row]
 */
const SCHEMA = 'bench_outcome_counters';
const CONNECTIONS = 8;
const ROUNDS = 3;

interface Round {
  counters: boolean;
  orders: number;
  seconds: number;
  cpuSeconds: number;
  latencies: number[];
}

async function main(): Promise<void> {
  const stackDir = resolve(process.argv[2] ?? join('.boxoffice', 'test'));
  const seconds = Number(process.argv[3] ?? 10);
  const oneRow = process.argv[4] === 'one-row';
  const description = JSON.parse(readFileSync(join(stackDir, 'stack.json'), 'utf8')) as StackDescription;
  const url = description.databases.ordering[0]!.primary;
  const cpu = cpuClock(shardNodePids(description, url));
  const setup = await connect(url);
  const migration = new OrderOutcomeCounts1764000000300();
  const slot = 'pg_backend_pid() % 64';
  const runner = { query: (sql: string) => setup.query(oneRow ? sql.replace(slot, '0') : sql) } as unknown as QueryRunner;
  const rounds: Round[] = [];
  try {
    await setup.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await setup.query(`CREATE SCHEMA ${SCHEMA}`);
    await setup.query(`CREATE TABLE orders (LIKE public.orders INCLUDING ALL)`);
    const { rows } = await setup.query<{ body: string }>(`SELECT pg_get_functiondef('public.count_order_outcome()'::regprocedure) AS body`);
    if (!rows[0]!.body.includes(slot)) throw new Error(`the counters' function no longer picks its row by ${slot}: update this bench`);
    for (let i = 0; i < ROUNDS * 2; i++) {
      const counters = i % 2 === 1;
      await setup.query('TRUNCATE orders');
      if (counters) await migration.up(runner);
      rounds.push(await sale(url, seconds, counters, cpu));
      if (counters) await migration.down(runner);
      const last = rounds.at(-1)!;
      console.log(`round ${i + 1}: counters ${counters ? 'on ' : 'off'}: ${round(last.orders / last.seconds)} orders/s, ${round((last.cpuSeconds * 1000) / last.orders, 3)} CPU-ms per order`);
    }
  } finally {
    await setup.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await setup.end();
  }
  const summary = (counters: boolean) => {
    const these = rounds.filter((r) => r.counters === counters);
    const orders = these.reduce((n, r) => n + r.orders, 0);
    const latencies = these.flatMap((r) => r.latencies);
    return {
      perSecond: orders / these.reduce((n, r) => n + r.seconds, 0),
      cpuMs: (these.reduce((n, r) => n + r.cpuSeconds, 0) * 1000) / orders,
      p50: median(latencies),
      p99: percentile(latencies, 99),
    };
  };
  const off = summary(false);
  const on = summary(true);
  console.log(
    table([
      ['counters', 'orders/s', 'CPU-ms per order', 'p50 ms per order (2 commits)', 'p99 ms'],
      ['off', round(off.perSecond), round(off.cpuMs, 3), round(off.p50, 2), round(off.p99, 2)],
      ['on', round(on.perSecond), round(on.cpuMs, 3), round(on.p50, 2), round(on.p99, 2)],
      ['added', round(on.perSecond - off.perSecond), round(on.cpuMs - off.cpuMs, 3), round(on.p50 - off.p50, 2), round(on.p99 - off.p99, 2)],
    ]),
  );
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET search_path TO ${SCHEMA}`);
  return client;
}

/** `CONNECTIONS` buyers, each placing and confirming one order after another for `seconds`. */
async function sale(url: string, seconds: number, counters: boolean, cpu: () => number): Promise<Round> {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => connect(url)));
  const latencies: number[] = [];
  const cpuBefore = cpu();
  const started = performance.now();
  const until = Date.now() + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (Date.now() < until) {
          const orderId = crypto.randomUUID();
          const began = performance.now();
          await client.query(
            `INSERT INTO orders (order_id, version, fingerprint, customer_id, customer_email, show_id, seat_ids, status, step_deadline)
             VALUES ($1, 1, 'bench', 'bench-buyer', 'bench@example.test', $2, '{A-1-1}', 'holding-seats', now() + interval '30 seconds')
             ON CONFLICT (order_id) DO NOTHING`,
            [orderId, crypto.randomUUID()],
          );
          await client.query(`UPDATE orders SET version = 2, status = 'confirmed', step_deadline = NULL WHERE order_id = $1`, [orderId]);
          latencies.push(performance.now() - began);
        }
      }),
    );
    return { counters, orders: latencies.length, seconds: (performance.now() - started) / 1000, cpuSeconds: cpu() - cpuBefore, latencies };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

await main();
