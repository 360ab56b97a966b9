import { BoxofficeApi, eventually, everyAppReady, HttpClient, runningStack, StackControl } from '@boxoffice/testing';

/**
 * The gateway is ready while it can reach every context it routes to: each
 * upstream replica is probed on /health/live. With one of ordering's two
 * replicas stopped it is degraded (still 200); with both, not ready (503),
 * its details naming them; its liveness is unaffected throughout. Processes
 * stopped through the stack control stay down until started again (ADR 0021).
 */
const stack = runningStack();
const control = StackControl.fromEnv();
const gateway = new HttpClient(stack.gatewayUrl);
const api = new BoxofficeApi(stack.gatewayUrl);

interface Indicator {
  status: string;
  replicas?: { url: string; status: string; error?: string }[];
}
interface Health {
  status: string;
  details: Record<string, Indicator>;
  error: Record<string, Indicator>;
}

describe('the gateway is ready while it reaches every context', () => {
  // Every replica up to begin with, whatever ran before; and again for the tests that follow.
  beforeAll(() => everyAppReady(stack));
  afterEach(() => everyAppReady(stack));

  it('lists every replica of each context it routes to', async () => {
    const ready = await gateway.get<Health>('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    for (const context of ['catalog', 'inventory', 'ordering', 'ticketing']) {
      const urls = stack.apps[context].map((instance) => instance.url);
      expect(ready.body.details[`upstream-${context}`]).toEqual({ status: 'up', replicas: urls.map((url) => ({ url, status: 'up' })) });
    }
  });

  it('is degraded with one replica of a context gone, not ready with all of them, and live all along', async () => {
    const [first, second] = stack.apps.ordering;
    const stopped: string[] = [];
    let oneGone;
    let allGone;
    let live;
    let order;
    try {
      await control.stop(`app:${second.instance}`);
      stopped.push(`app:${second.instance}`);
      oneGone = await gateway.get<Health>('/health/ready');
      await control.stop(`app:${first.instance}`);
      stopped.push(`app:${first.instance}`);
      allGone = await gateway.get<Health>('/health/ready');
      live = await gateway.get<Health>('/health/live');
      order = await api.placeOrder('nobody-to-take-it', { showId: '00000000-0000-7000-8000-000000000000', seatIds: ['A-1-1'] });
    } finally {
      for (const id of stopped) await control.start(id);
    }

    expect(oneGone.status).toBe(200);
    expect(oneGone.body.status).toBe('degraded');
    expect(oneGone.body.details['upstream-ordering'].status).toBe('degraded');
    expect(oneGone.body.details['upstream-ordering'].replicas).toEqual([
      { url: first.url, status: 'up' },
      { url: second.url, status: 'down', error: 'ECONNREFUSED' },
    ]);
    expect(oneGone.body.details['upstream-catalog'].status).toBe('up');

    expect(allGone.status).toBe(503);
    expect(allGone.body.status).toBe('error');
    expect(allGone.body.error['upstream-ordering'].replicas?.map((r) => r.status)).toEqual(['down', 'down']);
    expect(Object.keys(allGone.body.error)).toEqual(['upstream-ordering']);
    expect(live.status).toBe(200);
    expect(order.status).toBe(503);

    await eventually(async () => expect((await gateway.get<Health>('/health/ready')).body.status).toBe('ok'));
  });
});
