import { randomUUID } from 'node:crypto';
import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, contextClient, eventually, everyAppReady, queryDatabase, runningStack, StackControl, type Delivery } from '@boxoffice/testing';

/**
 * Ticketing and notifications are AP (docs/cap.md): with the primaries they
 * read from stopped, a customer's tickets (through the gateway), the door's
 * check of a ticket and an order's deliveries still answer 200, from the
 * replicas, and both apps even restart and become ready without them.
 *
 * The customer's tickets live on the shard of the customer id (which is the
 * demo user's name); notifications lives on shard 0. The customer is picked
 * on the last shard, so with two shards two different primaries are
 * stopped. Every node and app is started again in `finally`.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const control = StackControl.fromEnv();
const buckets = new BucketMap(stack.bucketMap);
const ticketing = contextClient(stack, 'ticketing');
const notifications = contextClient(stack, 'notifications');

interface Ticket {
  orderId: string;
  seatId: string;
  code: string;
}

function customerOnShard(shard: number): string {
  for (;;) {
    const name = `ap-reads-${randomUUID().slice(0, 8)}`;
    if (buckets.shardOf(name) === shard) return name;
  }
}

async function myTickets(customer: string, orderId: string) {
  const response = await api.http.get<{ tickets: Ticket[] }>('/me/tickets', await api.authHeaders(customer));
  return { status: response.status, mine: response.status === 200 ? response.body.tickets.filter((t) => t.orderId === orderId) : [] };
}

async function deliveries(orderId: string) {
  return notifications.get<Delivery[]>(`/orders/${orderId}/deliveries`);
}

describe('AP reads when the primaries are lost', () => {
  afterEach(() => everyAppReady(stack));

  it('serves a customer’s tickets, the door’s check and an order’s deliveries from replicas, and both apps boot without their primaries', async () => {
    const ticketShard = stack.databases.ticketing.length - 1;
    const customer = customerOnShard(ticketShard);
    const { showId, seatIds } = await api.publishShow('Replica reads', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder(customer, { showId, seatIds });
    expect(placed.status).toBe(202);
    const orderId = placed.body.orderId;
    expect((await api.settledOrder(customer, orderId)).status).toBe('confirmed');

    const tickets = await eventually(async () => {
      const { mine } = await myTickets(customer, orderId);
      expect(mine.map((t) => t.seatId).sort()).toEqual([...seatIds].sort());
      return mine;
    });
    const mail = await eventually(async () => {
      const sent = (await deliveries(orderId)).body.find((d) => d.event === 'order.confirmed' && d.channel === 'mail');
      expect(sent?.status).toBe('sent');
      return sent as Delivery;
    });
    // What is read below must be on the replicas already, or a stale answer would prove nothing.
    const customerReplica = stack.databases.ticketing[ticketShard].replicas[0];
    const showReplica = stack.databases.ticketing[buckets.shardOf(showId)].replicas[0];
    const notificationsReplica = stack.databases.notifications[0].replicas[0];
    await eventually(async () => {
      expect(await queryDatabase(customerReplica, 'SELECT 1 FROM customer_tickets WHERE customer_id = $1', [customer])).toHaveLength(seatIds.length);
      expect(await queryDatabase(showReplica, `SELECT 1 FROM tickets WHERE show_id = $1 AND status = 'valid'`, [showId])).toHaveLength(seatIds.length);
      expect(await queryDatabase(notificationsReplica, `SELECT 1 FROM deliveries WHERE id = $1 AND status = 'sent'`, [mail.id])).toHaveLength(1);
    });

    const primaries = [...new Set([`pg:shard${ticketShard}-node0`, 'pg:shard0-node0'])];
    const apps = ['app:ticketing-0', 'app:notifications-0'];
    let listed;
    let checked;
    let delivered;
    let readiness;
    const stoppedApps = new Set<string>();
    try {
      for (const id of primaries) await control.stop(id);
      // start() waits for /health/ready: an AP context boots and is ready with its replicas alone.
      for (const id of apps) {
        await control.stop(id);
        stoppedApps.add(id);
      }
      for (const id of apps) {
        await control.start(id);
        stoppedApps.delete(id);
      }
      listed = await myTickets(customer, orderId);
      checked = await ticketing.get<{ verdict: string }>(`/tickets/verify?code=${encodeURIComponent(tickets[0].code)}`);
      delivered = await deliveries(orderId);
      readiness = await Promise.all(
        [ticketing, notifications].map((app) => app.get<{ details: Record<string, { primary: { status: string }; replicas: { status: string }[] }> }>('/health/ready')),
      );
    } finally {
      for (const id of primaries) await control.start(id);
      for (const id of stoppedApps) await control.start(id);
    }

    expect(listed.status).toBe(200);
    expect(listed.mine.map((t) => t.seatId).sort()).toEqual([...seatIds].sort());
    expect(checked.status).toBe(200);
    expect(checked.body.verdict).toBe('valid');
    expect(delivered.status).toBe(200);
    expect(delivered.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: mail.id, status: 'sent', channel: 'mail' })]));
    for (const ready of readiness) expect(ready.status).toBe(200);
    expect(readiness[0].body.details[`postgres-shard${ticketShard}`].primary.status).toBe('down');
    expect(readiness[1].body.details['postgres-shard0'].primary.status).toBe('down');
  });
});
