import { BoxofficeApi, eventually, everyAppReady, HttpClient, parsePrometheusText, queryDatabase, runningStack, samplesOf, StackControl, type PrometheusSample } from '@boxoffice/testing';

/**
 * GET /metrics on every app (docs/architecture.md): Node's process metrics
 * everywhere, and on a context with data the state of each database node,
 * measured at scrape time: replica lag, up or down, outbox backlog.
 * Inventory is used for the database metrics: it is sharded, so it sees
 * every shard's primary and replicas.
 */
const stack = runningStack();
const control = StackControl.fromEnv();
const inventory = new HttpClient(stack.apps.inventory[0].url);
const gateway = new HttpClient(stack.gatewayUrl);
const api = new BoxofficeApi(stack.gatewayUrl);

async function scrape(client: HttpClient): Promise<{ status: number; contentType: string | null; samples: PrometheusSample[] }> {
  const response = await client.get<string>('/metrics');
  return { status: response.status, contentType: response.headers.get('content-type'), samples: response.status === 200 ? parsePrometheusText(response.body) : [] };
}

/**
 * Inventory's replicas as the router labels them (by position in DB_SHARDS: node0 is the configured
 * primary), and as the stack control names their processes. These tests run before any failover.
 */
const replicaNodes = stack.databases.inventory.flatMap((shard, s) =>
  shard.replicas.map((_, r) => ({ shard: String(s), node: `shard${s}-node${r + 1}`, process: `pg:shard${s}-node${r + 1}` })),
);

/** Orders on any of ordering's shards that are still in a step of their saga (checkout or refund). */
async function sagasInFlight(): Promise<string[]> {
  const rows = await Promise.all(
    stack.databases.ordering.map(({ primary }) =>
      queryDatabase<{ order_id: string; status: string }>(primary, `SELECT order_id, status FROM orders WHERE status NOT IN ('confirmed', 'rejected', 'refunded')`),
    ),
  );
  return rows.flat().map((row) => `${row.order_id} (${row.status})`);
}

describe('GET /metrics', () => {
  afterEach(() => everyAppReady(stack));

  it('on the gateway, which has no database: the process metrics, prefixed, and nothing about databases', async () => {
    const { status, contentType, samples } = await scrape(gateway);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(samplesOf(samples, 'boxoffice_process_cpu_user_seconds_total', { service: 'gateway' })).toHaveLength(1);
    expect(samplesOf(samples, 'boxoffice_nodejs_heap_size_used_bytes', { service: 'gateway' })).toHaveLength(1);
    expect(samples.filter((s) => s.name.startsWith('boxoffice_db_'))).toEqual([]);
  });

  it('on a context with replicas: a numeric lag for every replica node, every node up, and each shard’s outbox backlog', async () => {
    expect(replicaNodes.length).toBeGreaterThan(0);
    const { status, samples } = await scrape(inventory);
    expect(status).toBe(200);
    for (const { shard, node } of replicaNodes) {
      const lag = samplesOf(samples, 'boxoffice_db_replica_lag_seconds', { service: 'inventory', shard, node });
      expect(lag).toHaveLength(1);
      expect(Number.isFinite(lag[0].value)).toBe(true);
      expect(lag[0].value).toBeGreaterThanOrEqual(0);
    }
    const up = samplesOf(samples, 'boxoffice_db_node_up', { service: 'inventory' });
    expect(up.map((s) => [s.labels.node, s.value]).sort()).toEqual(
      stack.databases.inventory.flatMap((shard, s) => [[`shard${s}-node0`, 1], ...shard.replicas.map((_, r) => [`shard${s}-node${r + 1}`, 1])]).sort(),
    );
    for (let shard = 0; shard < stack.databases.inventory.length; shard++) {
      const backlog = samplesOf(samples, 'boxoffice_outbox_unpublished_messages', { shard: String(shard) });
      expect(backlog).toHaveLength(1);
      expect(backlog[0].value).toBeGreaterThanOrEqual(0);
    }
    expect(samplesOf(samples, 'boxoffice_process_resident_memory_bytes', { service: 'inventory' })).toHaveLength(1);
  });

  it('takes every standby’s WAL lag from its primary, in the one answer that also counts the outbox backlog', async () => {
    // A standby an earlier test restarted may still be reconnecting to its primary.
    await eventually(async () => {
      const { status, samples } = await scrape(inventory);
      expect(status).toBe(200);
      stack.databases.inventory.forEach((shard, s) => {
        const lag = samplesOf(samples, 'boxoffice_db_standby_lag_bytes', { service: 'inventory', shard: String(s) });
        expect(lag.map((l) => l.labels.standby).sort()).toEqual(shard.replicas.map((_, r) => `shard${s}_node${r + 1}`).sort());
        for (const { value } of lag) expect(value).toBeGreaterThanOrEqual(0);
        expect(samplesOf(samples, 'boxoffice_outbox_unpublished_messages', { service: 'inventory', shard: String(s) })).toHaveLength(1);
      });
    });
  });

  it('on ordering, the saga: how orders settled, by outcome and reason, and how long each step took', async () => {
    // Summed over ordering's replicas: any of them may have handled a step.
    const total = async (name: string, labels: Record<string, string>) => {
      const scrapes = await Promise.all(stack.apps.ordering.map((replica) => scrape(new HttpClient(replica.url))));
      return scrapes.flatMap((s) => samplesOf(s.samples, name, labels)).reduce((sum, sample) => sum + sample.value, 0);
    };
    const confirmed = () => total('boxoffice_saga_outcomes_total', { outcome: 'confirmed', reason: 'none' });
    const declined = () => total('boxoffice_saga_outcomes_total', { outcome: 'rejected', reason: 'payment-declined' });
    const captures = () => total('boxoffice_saga_step_seconds_count', { step: 'capturing-payment' });
    // The counters are the whole stack's, and test files run one at a time: once the orders an earlier test
    // left under way have settled, they move by this test's two orders alone.
    await eventually(async () => expect(await sagasInFlight()).toEqual([]), { timeoutMs: 60000 });
    const before = { confirmed: await confirmed(), declined: await declined(), captures: await captures() };

    const { showId, seatIds } = await api.publishShow('Counted', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const bought = await api.placeOrder('mona', { showId, seatIds: [seatIds[0]] });
    const refused = await api.placeOrder('decline-milo', { showId, seatIds: [seatIds[1]] });
    expect((await api.settledOrder('mona', bought.body.orderId)).status).toBe('confirmed');
    expect((await api.settledOrder('decline-milo', refused.body.orderId)).status).toBe('rejected');

    await eventually(async () => {
      expect(await confirmed()).toBe(before.confirmed + 1);
      expect(await declined()).toBe(before.declined + 1);
      expect(await captures()).toBe(before.captures + 1);
    });
    const sums = await total('boxoffice_saga_step_seconds_sum', { step: 'holding-seats' });
    expect(sums).toBeGreaterThan(0);
  });

  it("on ordering, how long step time-outs have waited for unread replies: every replica's wait ends once the replies are read", async () => {
    // ADR 0040: each replica asks the broker before every sweep; with nothing unread, the wait is back to 0 within a round or two.
    for (const replica of stack.apps.ordering) {
      await eventually(async () => {
        const waiting = samplesOf((await scrape(new HttpClient(replica.url))).samples, 'boxoffice_saga_timeouts_waiting_seconds', {});
        expect(waiting.map((sample) => sample.value)).toEqual([0]);
      });
    }
  });

  it('on every consumer, its lag per partition it holds, which settles at zero', async () => {
    for (const app of ['inventory', 'ordering', 'payments', 'ticketing', 'notifications']) {
      await eventually(async () => {
        const scrapes = await Promise.all(stack.apps[app].map((replica) => scrape(new HttpClient(replica.url))));
        const lag = scrapes.flatMap((s) => samplesOf(s.samples, 'boxoffice_kafka_consumer_lag_messages', { service: app }));
        expect(lag.length).toBeGreaterThan(0);
        for (const sample of lag) expect([app, sample.labels.topic, sample.value]).toEqual([app, sample.labels.topic, 0]);
      });
    }
  });

  it('shows a stopped standby as down, without a lag, and the other nodes still up', async () => {
    const [standby] = replicaNodes.slice(-1);
    let scraped;
    try {
      await control.stop(standby.process);
      scraped = await scrape(inventory);
    } finally {
      await control.start(standby.process);
    }
    expect(scraped.status).toBe(200);
    const up = samplesOf(scraped.samples, 'boxoffice_db_node_up', { service: 'inventory' });
    expect(up.filter((s) => s.value === 0).map((s) => s.labels.node)).toEqual([standby.node]);
    expect(up.filter((s) => s.value === 1)).toHaveLength(up.length - 1);
    expect(samplesOf(scraped.samples, 'boxoffice_db_replica_lag_seconds', { node: standby.node })).toEqual([]);
  });
});
