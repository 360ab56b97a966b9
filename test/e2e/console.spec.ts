import { randomBytes, randomUUID } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import { BoxofficeApi, eventually, everyAppReady, KafkaProbe, runningStack, StackControl } from '@boxoffice/testing';
import { launchBrowser, openPage, screenshot } from './support/browser.js';

/**
 * The operations console (apps/web/ui/src/console, ADR 0035's data) as an
 * admin uses it, in Debian's Chromium against the real stack: a show created
 * and published from the console goes on sale in the storefront; a stopped
 * standby shows down. Screenshots as in storefront.spec.ts.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const control = StackControl.fromEnv();
const kafka = new KafkaProbe(stack.kafka.brokers);
const consoleUrl = `${stack.storefront.url}/console`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openConsole(page: Page): Promise<void> {
  await page.goto(consoleUrl);
  await page.click('[data-testid="admin-sign-in"]');
  await page.waitForSelector('[data-testid="console"]');
  // The first reading is in: every view drawn.
  await page.waitForSelector('[data-testid="db-node"]');
  await page.waitForSelector('[data-testid="brokers"]');
}

const node = (name: string, status: string) => `[data-testid="db-node"][data-node="${name}"][data-status="${status}"]`;

describe('the operations console in a browser', () => {
  afterEach(() => everyAppReady(stack));

  it('asks for the admin; shows the topology, every replica ready; creates and publishes a show that then goes on sale in the storefront', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(consoleUrl);
    await page.waitForSelector('[data-testid="admin-sign-in"]');
    expect(await page.$('[data-testid="console"]')).toBeNull();
    await openConsole(page);

    // Every database node of every inventory shard, up; every app replica listed.
    for (const [shard, database] of stack.databases.inventory.entries()) {
      await page.waitForSelector(node(`shard${shard}-node0`, 'up'));
      for (const [r] of database.replicas.entries()) await page.waitForSelector(node(`shard${shard}-node${r + 1}`, 'up'));
    }
    for (const instances of Object.values(stack.apps)) {
      for (const { instance } of instances) await page.waitForSelector(`[data-testid="replica"][data-instance="${instance}"][data-status="ready"]`);
    }
    expect(await page.$$eval('[data-testid="brokers"] li', (brokers) => brokers.length)).toBe(stack.kafka.brokers.length);
    // Read again every few seconds: the sparklines gather readings.
    await page.waitForFunction(`document.querySelectorAll('[data-testid="lag-sparkline"] polyline').length === 1`, { timeout: 30_000 });

    const title = `Console premiere ${randomUUID().slice(0, 6)}`;
    await page.type('.create-show input[name="title"]', title);
    await page.click('.create-show button[type="submit"]');
    const row = await page.waitForSelector(`[data-testid="admin-show"] ::-p-text(${title})`);
    const showId = await row!.evaluate((cell) => cell.closest('tr')!.getAttribute('data-show-id'));
    expect(showId).toMatch(/^[0-9a-f-]{36}$/);
    await page.waitForSelector(`[data-testid="admin-show"][data-show-id="${showId}"][data-status="draft"]`);
    await screenshot(page, 'console');
    await page.click(`[data-testid="admin-show"][data-show-id="${showId}"] ::-p-text(Publish)`);
    await page.waitForSelector(`[data-testid="admin-show"][data-show-id="${showId}"][data-status="published"]`);
    expect((await api.http.get<{ status: string }>(`/shows/${showId}`)).body.status).toBe('published');

    // A buyer finds it on sale, with its 40 seats (4 rows of 10, the form's defaults).
    await api.waitUntilOnSale(showId!);
    const buyer = await openPage(browser);
    await buyer.page.goto(stack.storefront.url);
    await buyer.page.waitForSelector(`::-p-text(${title})`);
    await buyer.page.click(`::-p-text(${title})`);
    await buyer.page.waitForSelector('[data-testid="connection"].connection-live');
    expect(await buyer.page.$$eval('.seat-map [data-state="free"]', (seats) => seats.length)).toBe(40);
    expect([...errors, ...buyer.errors]).toEqual([]);
  });

  it('draws orders per second during a small sale: placed, then confirmed, above zero, with the totals in numbers', async () => {
    const { showId, seatIds } = await api.publishShow('Console sale', [{ code: 'A', rows: 2, seatsPerRow: 6, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const { page, errors } = await openPage(browser);
    await openConsole(page);
    const chart = '[data-testid="orders-per-second"]';
    // A first reading of the counts is in, so the sale's orders fall between two readings.
    await page.waitForFunction(`Number(document.querySelector('${chart}')?.getAttribute('data-readings')) >= 1`);
    const totalPlaced = () => page.$eval('[data-testid="orders-placed"]', (item) => Number(item.getAttribute('data-total')));
    const before = await totalPlaced();

    // Twelve buyers, a seat each, then two who come too late for a seat already sold.
    const buyers = seatIds.map((seat, i) => ({ name: `console-sale-${i}`, seat }));
    const late = [0, 1].map((i) => ({ name: `console-sale-late-${i}`, seat: seatIds[i]! }));
    const placed = await Promise.all(buyers.map((b) => api.placeOrder(b.name, { showId, seatIds: [b.seat] })));
    await page.waitForFunction(`Number(document.querySelector('${chart}').getAttribute('data-highest-placed-rate')) > 0`, { timeout: 30_000 });
    await Promise.all(placed.map((p, i) => api.settledOrder(buyers[i]!.name, p.body.orderId)));
    const refused = await Promise.all(late.map((b) => api.placeOrder(b.name, { showId, seatIds: [b.seat] })));
    await Promise.all(refused.map((p, i) => api.settledOrder(late[i]!.name, p.body.orderId)));
    for (const outcome of ['confirmed', 'rejected']) {
      await page.waitForFunction(`Number(document.querySelector('${chart}').getAttribute('data-highest-${outcome}-rate')) > 0`, { timeout: 30_000 });
    }
    expect(await page.$$eval(`${chart} polyline`, (lines) => lines.map((line) => line.getAttribute('data-outcome')))).toEqual(['placed', 'confirmed', 'rejected']);
    await page.waitForFunction(`Number(document.querySelector('[data-testid="orders-placed"]').getAttribute('data-total')) >= ${before + buyers.length + late.length}`, { timeout: 30_000 });
    await screenshot(page, 'console-sale');
    expect(errors).toEqual([]);
  });

  it('links a saga in flight to the trace of its checkout, and a dead letter to the trace it came with', async () => {
    const { showId, seatIds } = await api.publishShow('Console traces', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const { page, errors } = await openPage(browser);
    await openConsole(page);

    // A dead letter that carried a trace: a poison message with a traceparent header.
    const letterTrace = randomBytes(16).toString('hex');
    const key = `console-traced-poison-${randomUUID()}`;
    await kafka.produce('inventory.seat-command.v1', [{ key, value: 'not json', headers: { traceparent: `00-${letterTrace}-${randomBytes(8).toString('hex')}-01` } }]);
    const letterLink = `[data-testid="dead-letter"][data-key="${key}"] [data-testid="console-trace-link"]`;
    await page.waitForSelector(letterLink, { timeout: 30_000 });
    expect(await page.$eval(letterLink, (link) => link.getAttribute('href'))).toBe(`/console/traces/${letterTrace}`);

    // A saga that waits for payments, stopped: listed among the oldest in flight, with its checkout's trace.
    let orderId = '';
    let traceId = '';
    try {
      for (const instance of stack.apps.payments) await control.stop(`app:${instance.instance}`);
      const placed = await api.placeOrder('console-trace-buyer', { showId, seatIds: [seatIds[0]!] });
      orderId = placed.body.orderId;
      traceId = (placed.headers.get('traceresponse') ?? '').split('-')[1] ?? '';
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const sagaLink = `[data-testid="saga-in-flight"][data-order-id="${orderId}"] [data-testid="console-trace-link"]`;
      await page.waitForSelector(sagaLink, { timeout: 30_000 });
      expect(await page.$eval(sagaLink, (link) => link.getAttribute('href'))).toBe(`/console/traces/${traceId}`);
      await page.$eval('[data-testid="sagas"]', (panel) => panel.scrollIntoView({ block: 'center' }));
      await screenshot(page, 'console-sagas-in-flight');
      await page.click(sagaLink);
      await page.waitForSelector(`[data-testid="trace-page"][data-trace-id="${traceId}"] [data-testid="span-row"][data-service="ordering"]`, { timeout: 30_000 });
    } finally {
      for (const instance of stack.apps.payments) await control.start(`app:${instance.instance}`);
    }
    expect((await api.settledOrder('console-trace-buyer', orderId)).settled).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a stopped standby down, its WAL lag growing with each write, then streaming again once it is back', async () => {
    const shard = stack.databases.inventory.length - 1;
    const standby = stack.databases.inventory[shard]!.replicas.length;
    const name = `shard${shard}-node${standby}`;
    const { showId, seatIds } = await api.publishShow('Console standby watch', [{ code: 'A', rows: 2, seatsPerRow: 10, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const { page, errors } = await openPage(browser);
    await openConsole(page);
    await page.waitForSelector(node(name, 'up'));
    const lagBytes = () => page.$eval(node(name, 'down'), (row) => Number(row.getAttribute('data-lag-bytes')));
    try {
      await control.stop(`pg:${name}`);
      // No reload: the console reads again on its own.
      await page.waitForSelector(node(name, 'down'), { timeout: 30_000 });
      await page.waitForSelector(`${node(name, 'down')} ::-p-text(disconnected)`);
      const before = await lagBytes();
      // Orders write on every shard (each order on its id's shard, its seats on the show's).
      const placed = await Promise.all(seatIds.slice(0, 8).map((seat, i) => api.placeOrder(`console-standby-${i}`, { showId, seatIds: [seat] })));
      await Promise.all(placed.map((p, i) => api.settledOrder(`console-standby-${i}`, p.body.orderId)));
      await page.waitForFunction(`Number(document.querySelector('${node(name, 'down')}')?.getAttribute('data-lag-bytes')) > ${before}`, { timeout: 30_000 });
      await screenshot(page, 'console-standby-down');
    } finally {
      await control.start(`pg:${name}`);
    }
    await page.waitForSelector(node(name, 'up'), { timeout: 60_000 });
    await eventually(async () => expect(await page.$(`${node(name, 'up')} ::-p-text(streaming)`)).not.toBeNull(), { timeoutMs: 60_000 });
    expect(errors).toEqual([]);
  });
});
