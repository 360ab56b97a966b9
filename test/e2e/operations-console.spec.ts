import { randomBytes } from 'node:crypto';
import type { ConsumerGroupsView, DeadLettersView, OrderOutcomesView, OutboxBacklogView, SagasInFlightView, TopologyView } from '@boxoffice/contracts';
import { BoxofficeApi, contextClient, eventually, everyAppReady, HttpClient, KafkaProbe, OPERATOR, runningStack, StackControl } from '@boxoffice/testing';

/**
 * The operations console's data (GET /admin/ops/*, ADR 0035), read through
 * the gateway as an admin while the stack is made to show something: a
 * standby stopped, payments stopped under orders, a poison message, the
 * broker gone under a checkout. Each answer must be the system's true state.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const kafka = new KafkaProbe(stack.kafka.brokers);
const control = StackControl.fromEnv();
const ROUTES = ['topology', 'outbox', 'consumer-groups', 'sagas', 'orders', 'dead-letters'];

async function ops<T>(route: string): Promise<T> {
  const response = await api.http.get<T>(`/admin/ops/${route}`, await api.authHeaders('admin'));
  if (response.status !== 200) throw new Error(`GET /admin/ops/${route}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const standbyNode = (shard: number, standby: number) => ({ node: `shard${shard}-node${standby + 1}`, slot: `shard${shard}_node${standby + 1}`, process: `pg:shard${shard}-node${standby + 1}` });

describe('the operations console’s data', () => {
  afterEach(() => everyAppReady(stack));

  it.each(ROUTES)('GET /admin/ops/%s is for admins: 401 without a token, 403 for a customer', async (route) => {
    expect((await api.http.get(`/admin/ops/${route}`)).status).toBe(401);
    const customer = await api.http.get<{ code: string }>(`/admin/ops/${route}`, await api.authHeaders('ops-curious-customer'));
    expect(customer.status).toBe(403);
    expect(customer.body.code).toBe('forbidden');
  });

  it('lists every show for an admin, drafts included, so the console can publish or cancel them; not for a customer', async () => {
    const admin = await api.authHeaders('admin');
    const venue = await api.http.post<{ id: string }>('/admin/venues', { name: 'Console hall', sections: [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }] }, admin);
    const draft = await api.http.post<{ id: string }>(
      '/admin/shows',
      { venueId: venue.body.id, title: 'Console draft', startsAt: '2027-05-01T20:00:00Z', priceTiers: [{ code: 'STD', priceMinor: 1000, currency: 'EUR' }] },
      admin,
    );
    expect(draft.status).toBe(201);
    const drafts = await api.http.get<{ id: string; status: string }[]>('/admin/shows?status=draft', admin);
    expect(drafts.status).toBe(200);
    expect(drafts.body.find((s) => s.id === draft.body.id)?.status).toBe('draft');
    expect(drafts.body.every((s) => s.status === 'draft')).toBe(true);
    expect((await api.http.get<{ id: string }[]>('/admin/shows', admin)).body.some((s) => s.id === draft.body.id)).toBe(true);
    expect((await api.http.post(`/admin/shows/${draft.body.id}/publish`, undefined, admin)).status).toBe(200);
    expect((await api.http.get<{ id: string }[]>('/admin/shows?status=draft', admin)).body.some((s) => s.id === draft.body.id)).toBe(false);
    expect((await api.http.get('/admin/shows?status=sold-out', admin)).status).toBe(400);
    expect((await api.http.get('/admin/shows', await api.authHeaders('ops-curious-customer'))).status).toBe(403);
  });

  it('has each context check the caller token on its own operations routes', async () => {
    const customer = { id: 'ops-curious-customer', email: 'c@example.test', role: 'customer' as const };
    for (const context of ['catalog', 'inventory', 'ordering', 'payments', 'ticketing', 'notifications']) {
      expect((await new HttpClient(stack.apps[context][0].url).get('/ops/databases')).status).toBe(401);
      expect((await contextClient(stack, context, { as: customer }).get('/ops/databases')).status).toBe(403);
      expect((await contextClient(stack, context, { as: OPERATOR }).get('/ops/databases')).status).toBe(200);
    }
    expect((await contextClient(stack, 'ordering', { as: customer }).get('/ops/sagas')).status).toBe(403);
    expect((await contextClient(stack, 'ordering', { as: customer }).get('/ops/orders')).status).toBe(403);
  });

  it('counts the orders placed, confirmed and rejected on every shard: the counts rise by at least this show’s orders', async () => {
    const { showId, seatIds } = await api.publishShow('Counted sale', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const before = await ops<OrderOutcomesView>('orders');
    // Four seats sold, one order each (spread over the shards by order id); then two orders for seats already sold.
    const sold = await Promise.all(seatIds.map((seat, i) => api.placeOrder(`counted-buyer-${i}`, { showId, seatIds: [seat] })));
    const settled = await Promise.all(sold.map((p, i) => api.settledOrder(`counted-buyer-${i}`, p.body.orderId)));
    expect(settled.map((o) => o.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    const late = await Promise.all([0, 1].map((i) => api.placeOrder(`counted-late-${i}`, { showId, seatIds: [seatIds[i]!] })));
    const refused = await Promise.all(late.map((p, i) => api.settledOrder(`counted-late-${i}`, p.body.orderId)));
    expect(refused.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const after = await ops<OrderOutcomesView>('orders');
    // Other orders may be under way on the shared stack: at least ours, never fewer.
    expect(after.placed - before.placed).toBeGreaterThanOrEqual(6);
    expect(after.confirmed - before.confirmed).toBeGreaterThanOrEqual(4);
    expect(after.rejected - before.rejected).toBeGreaterThanOrEqual(2);
    // The same counts from any replica of ordering, at any later look: they never go back.
    const again = await ops<OrderOutcomesView>('orders');
    expect(again.placed).toBeGreaterThanOrEqual(after.placed);
    expect(again.confirmed).toBeGreaterThanOrEqual(after.confirmed);
    expect(again.rejected).toBeGreaterThanOrEqual(after.rejected);
    const fromEach = await Promise.all(stack.apps.ordering.map((_, replica) => contextClient(stack, 'ordering', { as: OPERATOR, replica }).get<OrderOutcomesView>('/ops/orders')));
    for (const answer of fromEach) {
      expect(answer.status).toBe(200);
      expect(answer.body.placed).toBeGreaterThanOrEqual(after.placed);
    }
  });

  it('shows every shard’s primary and standbys up and streaming, the brokers, and every replica of every app ready', async () => {
    await eventually(
      async () => {
        const topology = await ops<TopologyView>('topology');
        expect(topology.unavailable).toEqual([]);
        expect(topology.shards.map((s) => s.shard)).toEqual(stack.databases.inventory.map((_, s) => s));
        for (const shard of topology.shards) {
          const standbys = stack.databases.inventory[shard.shard].replicas.map((_, r) => standbyNode(shard.shard, r));
          expect(shard.nodes.map((n) => [n.node, n.role, n.status])).toEqual([[`shard${shard.shard}-node0`, 'primary', 'up'], ...standbys.map((s) => [s.node, 'standby', 'up'])]);
          expect(shard.replication?.map((r) => [r.standby, r.connected, r.state]).sort()).toEqual(standbys.map((s) => [s.slot, true, 'streaming']).sort());
          for (const r of shard.replication ?? []) expect(['sync', 'quorum', 'potential', 'async']).toContain(r.syncState);
          expect(shard.seenBy).toEqual(expect.arrayContaining(['inventory', 'ordering', 'ticketing']));
        }
        expect(topology.kafka.status).toBe('up');
        if (topology.kafka.status === 'up') expect(topology.kafka.brokers).toHaveLength(stack.kafka.brokers.length);
        // Every process of the stack, each under its service; a process another test started and stopped may be listed too.
        for (const [service, instances] of Object.entries(stack.apps)) {
          for (const { instance } of instances) {
            expect(topology.replicas.find((r) => r.instance === instance)).toMatchObject({ service, status: 'ready', intervalMs: 5000 });
          }
        }
        for (const replica of topology.replicas.filter((r) => r.status === 'ready')) expect(replica.silentForSeconds).toBeLessThan(15);
        const ordering = topology.replicas.find((r) => r.service === 'ordering');
        expect(ordering?.checks).toMatchObject({ kafka: 'up', 'postgres-shard0': 'up' });
      },
      { timeoutMs: 60000 },
    );
  });

  it('shows a stopped standby down, disconnected at its primary, its WAL lag growing with each write; then caught up', async () => {
    const shard = stack.databases.inventory.length - 1;
    const standby = standbyNode(shard, stack.databases.inventory[shard].replicas.length - 1);
    const seen = (topology: TopologyView) => {
      const view = topology.shards.find((s) => s.shard === shard)!;
      return { node: view.nodes.find((n) => n.node === standby.node)!, slot: view.replication?.find((r) => r.standby === standby.slot) };
    };
    const { showId, seatIds } = await api.publishShow('Standby watch', [{ code: 'A', rows: 2, seatsPerRow: 10, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    try {
      await control.stop(standby.process);
      const before = await eventually(async () => {
        const { node, slot } = seen(await ops<TopologyView>('topology'));
        expect(node.status).toBe('down');
        expect(node.error).toBeTruthy();
        expect(slot).toMatchObject({ connected: false, state: null, syncState: null });
        expect(slot?.lagBytes).toEqual(expect.any(Number));
        return slot!.lagBytes!;
      });
      // Orders write on every shard (each order on its id's shard, its seats on the show's).
      const placed = await Promise.all(seatIds.slice(0, 8).map((seat, i) => api.placeOrder(`standby-watch-${i}`, { showId, seatIds: [seat] })));
      await Promise.all(placed.map((p, i) => api.settledOrder(`standby-watch-${i}`, p.body.orderId)));
      const after = seen(await ops<TopologyView>('topology'));
      expect(after.node.status).toBe('down');
      expect(after.slot?.lagBytes).toBeGreaterThan(before);
    } finally {
      await control.start(standby.process);
    }
    await eventually(
      async () => {
        const { node, slot } = seen(await ops<TopologyView>('topology'));
        expect(node.status).toBe('up');
        expect(slot).toMatchObject({ connected: true, state: 'streaming' });
      },
      { timeoutMs: 60000 },
    );
  });

  it('shows payments’ group lag grow and sagas wait for the payment while payments is stopped, and both drain once it is back', async () => {
    const { showId, seatIds } = await api.publishShow('Payments away', [{ code: 'A', rows: 1, seatsPerRow: 6, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    // A first checkout, so payments has committed on its command topic before it stops.
    const first = await api.placeOrder('payments-away-0', { showId, seatIds: [seatIds[0]] });
    expect((await api.settledOrder('payments-away-0', first.body.orderId)).status).toBe('confirmed');
    const commands = 'payments.payment-command.v1';
    const lagOf = (view: ConsumerGroupsView) => view.groups.find((g) => g.groupId === 'payments')?.topics.find((t) => t.topic === commands);
    const waiting = 4;
    const placed: string[] = [];
    try {
      for (const instance of stack.apps.payments) await control.stop(`app:${instance.instance}`);
      for (let i = 1; i <= waiting; i++) placed.push((await api.placeOrder(`payments-away-${i}`, { showId, seatIds: [seatIds[i]] })).body.orderId);
      await eventually(async () => {
        const sagas = await ops<SagasInFlightView>('sagas');
        expect(sagas.states.find((s) => s.state === 'authorizing-payment')?.count).toBeGreaterThanOrEqual(waiting);
        expect(sagas.inFlight).toBeGreaterThanOrEqual(waiting);
        // The oldest one by one, each with the trace of the request that placed it.
        expect(sagas.oldest.length).toBe(Math.min(10, sagas.inFlight));
        const ours = sagas.oldest.filter((s) => placed.includes(s.orderId));
        expect(ours.length).toBeGreaterThan(0);
        for (const saga of ours) expect(saga).toMatchObject({ state: 'authorizing-payment', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
        const groups = await ops<ConsumerGroupsView>('consumer-groups');
        const payments = groups.groups.find((g) => g.groupId === 'payments')!;
        expect(payments.members).toEqual([]);
        const topic = lagOf(groups)!;
        expect(topic.lag).toBeGreaterThanOrEqual(waiting);
        // The lag per partition is the end offset less the committed one, as Kafka's own figures say.
        for (const p of topic.partitions) {
          if (p.committedOffset !== null) expect(p.lag).toBe(Number(BigInt(p.endOffset) - BigInt(p.committedOffset)));
        }
        expect(topic.lag).toBe(Number(await kafka.lag('payments', [commands])));
        // Stopped cleanly, each replica said so on its way out.
        const replicas = (await ops<TopologyView>('topology')).replicas;
        for (const { instance } of stack.apps.payments) expect(replicas.find((r) => r.instance === instance)?.status).toBe('stopped');
      });
    } finally {
      for (const instance of stack.apps.payments) await control.start(`app:${instance.instance}`);
    }
    // Settled either way: confirmed, or rejected if payments came back after the step's deadline.
    const settled = await Promise.all(placed.map((id, i) => api.settledOrder(`payments-away-${i + 1}`, id)));
    expect(settled.every((o) => o.settled)).toBe(true);
    await eventually(async () => {
      const groups = await ops<ConsumerGroupsView>('consumer-groups');
      expect(lagOf(groups)?.lag).toBe(0);
      expect(groups.groups.find((g) => g.groupId === 'payments')?.members.flatMap((m) => m.assignment.map((a) => a.topic))).toContain(commands);
    });
  });

  it('lists a poison message among the dead letters with its reason, without consuming it away', async () => {
    const topic = 'inventory.seat-command.v1';
    const key = `ops-poison-${Date.now()}`;
    const [sent] = await kafka.produce(topic, [{ key, value: 'this is not json' }]);
    const letter = await eventually(async () => {
      const view = await ops<DeadLettersView>('dead-letters');
      const inventory = view.topics.find((t) => t.topic === 'inventory.dead-letter.v1')!;
      const found = inventory.latest.find((d) => d.key === key);
      expect(found?.key).toBe(key);
      expect(inventory.stored).toBeGreaterThanOrEqual(1);
      return found!;
    });
    expect(letter).toMatchObject({
      originalTopic: topic,
      originalPartition: sent.partition,
      originalOffset: sent.offset,
      group: 'inventory',
      attempts: 0,
      valueBytes: 16,
      valuePreview: 'this is not json',
      traceId: null,
    });
    expect(letter.reason).toMatch(/not JSON/);
    // Read, not consumed: it is still there for the next look, and the gateway's readers committed nothing
    // (other tests' readers of dead-letter topics may have).
    const again = await ops<DeadLettersView>('dead-letters');
    expect(again.topics.find((t) => t.topic === 'inventory.dead-letter.v1')?.latest.some((d) => d.key === key)).toBe(true);
    const groups = await ops<ConsumerGroupsView>('consumer-groups');
    const readers = groups.groups.filter((g) => g.groupId.startsWith('gateway-ops.'));
    expect(readers.map((g) => g.members.length)).toEqual([1]);
    expect(readers.flatMap((g) => g.topics)).toEqual([]);
  });

  it('names the trace a dead letter was part of, from the traceparent header it kept', async () => {
    const traceId = randomBytes(16).toString('hex');
    const key = `ops-traced-poison-${Date.now()}`;
    await kafka.produce('inventory.seat-command.v1', [{ key, value: 'traced, and not json', headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } }]);
    const letter = await eventually(async () => {
      const view = await ops<DeadLettersView>('dead-letters');
      const found = view.topics.find((t) => t.topic === 'inventory.dead-letter.v1')!.latest.find((d) => d.key === key);
      expect(found?.key).toBe(key);
      return found!;
    });
    expect(letter.traceId).toBe(traceId);
  });

  it('shows no lag for the gateway’s live seat feeds, which commit nothing, however many seat events pass', async () => {
    const { showId } = await api.publishShow('Seat feed lag', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }], { STD: 1000 });
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('seat-feed-buyer', { showId, seatIds: ['A-1-1', 'A-1-2'] });
    expect((await api.settledOrder('seat-feed-buyer', placed.body.orderId)).status).toBe('confirmed');
    // Seat events (held, sold) are on inventory.seat-reply.v1 now: every gateway replica's feed read them, from the
    // topic's end, and committed nothing. A lag there would be the whole topic, growing with every sale.
    const groups = await ops<ConsumerGroupsView>('consumer-groups');
    const feeds = groups.groups.filter((g) => g.groupId.startsWith('gateway-seat-feed.'));
    expect(feeds.map((g) => g.groupId).sort()).toEqual((stack.apps.gateway ?? []).map((replica) => `gateway-seat-feed.${replica.instance}`).sort());
    expect(feeds.map((g) => g.members.length)).toEqual(feeds.map(() => 1));
    expect(feeds.map((g) => ({ groupId: g.groupId, lag: g.lag, topics: g.topics }))).toEqual(feeds.map((g) => ({ groupId: g.groupId, lag: 0, topics: [] })));
  });

  it('counts the outbox backlog while the broker is away, says Kafka is down, and shows the backlog drain once it is back, its orders settled', async () => {
    const { showId, seatIds } = await api.publishShow('Broker away', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const unpublished = (view: OutboxBacklogView, context: string) => {
      const entry = view.contexts.find((c) => c.context === context);
      return entry?.status === 'up' ? entry.shards.reduce((sum, s) => sum + (s.unpublished ?? 0), 0) : null;
    };
    const placed: string[] = [];
    const brokers = stack.kafka.brokers.map((_, i) => `kafka:${i}`);
    try {
      for (const broker of brokers) await control.stop(broker);
      for (let i = 0; i < 3; i++) {
        const response = await api.placeOrder(`broker-away-${i}`, { showId, seatIds: [seatIds[i]] });
        expect(response.status).toBe(202);
        placed.push(response.body.orderId);
      }
      // Each order's first command waits in ordering's outbox; nothing else of the system is asked to publish.
      const outbox = await ops<OutboxBacklogView>('outbox');
      expect(unpublished(outbox, 'ordering')).toBeGreaterThanOrEqual(placed.length);
      expect(outbox.contexts.every((c) => c.status === 'up')).toBe(true);
      const topology = await ops<TopologyView>('topology');
      expect(topology.kafka.status).toBe('down');
      const groups = await api.http.get<{ code: string }>('/admin/ops/consumer-groups', await api.authHeaders('admin'));
      expect(groups.status).toBe(503);
      expect(groups.body.code).toBe('unavailable');
    } finally {
      for (const broker of brokers) await control.start(broker);
    }
    // The relays publish what waited as soon as the broker is back.
    await eventually(async () => expect(unpublished(await ops<OutboxBacklogView>('outbox'), 'ordering')).toBe(0), { timeoutMs: 60000 });
    // And the orders that waited settle, so that none is left under way for the tests that follow: confirmed, or
    // rejected if inventory, rejoining its group after the broker's return, answered the hold after its deadline.
    const settled = await Promise.all(placed.map((orderId, i) => api.settledOrder(`broker-away-${i}`, orderId)));
    expect(settled.filter((order) => order.status !== 'confirmed' && order.rejectionReason !== 'seat-hold-timeout')).toEqual([]);
  });
});
