import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import { BoxofficeApi, eventually, runningStack } from '@boxoffice/testing';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { expiredCustomerToken } from './support/tokens.js';

/**
 * The storefront as a person uses it, in Debian's Chromium against the real
 * stack: the pages the storefront's server serves, calling the gateway
 * (ADR 0033). Each page is photographed on the way (libs/testing/src/browser.ts
 * says where; `npm run screenshots` refreshes the ones in docs/screenshots).
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const storefront = stack.storefront.url;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function showOnSale(title: string, rows = 2, seatsPerRow = 8): Promise<string> {
  const { showId } = await api.publishShow(title, [{ code: 'A', rows, seatsPerRow, priceTier: 'STD' }, { code: 'B', rows: 1, seatsPerRow: 6, priceTier: 'VIP' }], { STD: 4500, VIP: 9000 });
  await api.waitUntilOnSale(showId);
  return showId;
}

const seat = (seatId: string) => `[data-seat-id="${seatId}"]`;
const seatIn = (seatId: string, state: string) => `.seat-map [data-seat-id="${seatId}"][data-state="${state}"]`;

async function openSeatMap(page: Page, showId: string): Promise<void> {
  await page.goto(`${storefront}/shows/${showId}`);
  await page.waitForSelector('[data-testid="connection"].connection-live');
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.type('.sign-in input[name="username"]', username);
  await page.click('.sign-in button[type="submit"]');
  await page.waitForSelector('.who');
}

/** The order page's steps: each one's state (done, failed, current, ahead) and what it says. */
async function stepsShown(page: Page): Promise<string[][]> {
  return page.$$eval('[data-testid="steps"] li', (steps) => steps.map((step) => [step.getAttribute('data-state') ?? '', step.textContent ?? '']));
}

async function orderStatus(page: Page): Promise<string | null> {
  return page.$eval('[data-testid="order"]', (element) => element.getAttribute('data-status')).catch(() => null);
}

describe('the storefront in a browser', () => {
  it('lets a buyer pick seats, sign in, buy, watch the order confirm, see the tickets as QR codes, and refund', async () => {
    const title = `Storefront night ${randomUUID().slice(0, 6)}`;
    const showId = await showOnSale(title);
    const { page, errors } = await openPage(browser);

    await page.goto(storefront);
    await page.waitForSelector(`::-p-text(${title})`);
    await screenshot(page, 'on-sale');
    await page.click(`::-p-text(${title})`);
    await page.waitForSelector('[data-testid="connection"].connection-live');
    expect(page.url()).toBe(`${storefront}/shows/${showId}`);
    expect(await page.$$eval('.seat-map [data-state="free"]', (seats) => seats.length)).toBe(22);

    await page.click(seat('A-1-4'));
    await page.click(seat('A-1-5'));
    expect(await page.$eval('[data-testid="basket"]', (basket) => basket.textContent)).toContain('€90.00');
    await signIn(page, 'bea');
    await screenshot(page, 'seat-map');
    await page.click('[data-testid="basket"] button.primary');

    await page.waitForSelector('[data-testid="order"][data-status="confirmed"]', { timeout: 60_000 });
    const orderId = page.url().split('/orders/')[1]!;
    expect((await api.order('bea', orderId)).body.status).toBe('confirmed');
    await page.waitForFunction(`document.querySelectorAll('[data-testid="ticket"] img[src^="data:image/png"]').length === 2`, { timeout: 30_000 });
    const shownSeats = await page.$$eval('[data-testid="ticket"]', (tickets) => tickets.map((t) => t.getAttribute('data-seat-id')).sort());
    expect(shownSeats).toEqual(['A-1-4', 'A-1-5']);
    // The code under each QR image is the ticket's signed code, as ticketing issued it.
    const issued = await api.http.get<{ tickets: { orderId: string; seatId: string; code: string }[] }>('/me/tickets', await api.authHeaders('bea'));
    const codes = await page.$$eval('[data-testid="ticket"] .ticket-code', (elements) => elements.map((e) => e.getAttribute('title')));
    expect(codes.sort()).toEqual(issued.body.tickets.filter((t) => t.orderId === orderId).map((t) => t.code).sort());
    // The order links its checkout's trace, by the trace id of the POST that placed it: the console's
    // waterfall (ADR 0037); no "in Jaeger" link, as the stack's Jaeger has no UI (no TRACES_URL).
    if (stack.jaeger) {
      const href = await page.$eval('[data-testid="trace-link"]', (link) => link.getAttribute('href'));
      expect(href).toMatch(/^\/console\/traces\/[0-9a-f]{32}$/);
      expect(await page.$('[data-testid="trace-jaeger-link"]')).toBeNull();
    }
    await screenshot(page, 'order-confirmed');

    await page.click('::-p-text(My orders and tickets)');
    await page.waitForSelector(`[data-testid="order-card"][data-order-id="${orderId}"][data-status="confirmed"] [data-testid="ticket"] img`);
    await screenshot(page, 'my-orders');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(`[data-order-id="${orderId}"] ::-p-text(Refund this order)`);
    await page.waitForSelector(`[data-testid="order-card"][data-order-id="${orderId}"][data-status="refunded"]`, { timeout: 60_000 });
    expect((await api.order('bea', orderId)).body.status).toBe('refunded');
    expect(errors).toEqual([]);
  });

  it('turns a seat bought in one browser sold in another that watches the same seat map, without a reload, and says so to its buyer', async () => {
    const showId = await showOnSale(`Two screens ${randomUUID().slice(0, 6)}`);
    const buyer = await openPage(browser);
    const watcher = await openPage(browser);
    await openSeatMap(buyer.page, showId);
    await openSeatMap(watcher.page, showId);
    // Marks this document: a reload would lose it.
    await watcher.page.evaluate('window.unreloaded = true');
    // The watcher had chosen the seat the buyer is about to take.
    await watcher.page.click(seat('A-2-3'));
    await watcher.page.waitForSelector(`${seat('A-2-3')}.seat-selected`);

    await buyer.page.click(seat('A-2-3'));
    await signIn(buyer.page, 'cleo');
    await buyer.page.click('[data-testid="basket"] button.primary');
    await buyer.page.waitForSelector('[data-testid="order"][data-status="confirmed"]', { timeout: 60_000 });

    await watcher.page.waitForSelector(seatIn('A-2-3', 'sold'), { timeout: 30_000 });
    expect(await watcher.page.evaluate('window.unreloaded')).toBe(true);
    expect(await watcher.page.$eval('[data-testid="basket"]', (basket) => basket.textContent)).toContain('just taken by someone else');
    expect(await watcher.page.$(`${seat('A-2-3')}.seat-selected`)).toBeNull();
    await screenshot(watcher.page, 'seat-taken-elsewhere');
    // The other seats stayed free for the watcher.
    expect(await watcher.page.$$eval('.seat-map [data-state="free"]', (seats) => seats.length)).toBe(21);
    expect([...buyer.errors, ...watcher.errors]).toEqual([]);
  });

  it('withdraws the seats of an open seat map when the show is cancelled, without a reload, and after one', async () => {
    const showId = await showOnSale(`Called off ${randomUUID().slice(0, 6)}`);
    const { page, errors } = await openPage(browser);
    await openSeatMap(page, showId);
    await page.evaluate('window.unreloaded = true');
    expect(await page.$$eval('.seat-map [data-state="free"]', (seats) => seats.length)).toBe(22);
    await page.click(seat('A-1-2'));
    await page.waitForSelector(`${seat('A-1-2')}.seat-selected`);

    const cancelled = await api.http.post<{ status: string }>(`/admin/shows/${showId}/cancel`, undefined, await api.authHeaders('admin'));
    expect(cancelled.status).toBe(200);
    await page.waitForFunction(`document.querySelectorAll('.seat-map [data-state="withdrawn"]').length === 22`, { timeout: 30_000 });
    expect(await page.evaluate('window.unreloaded')).toBe(true);
    expect(await page.$eval('.notice', (notice) => notice.textContent)).toContain('cancelled');
    // The chosen seat left the choice, and nobody is said to have taken it.
    expect(await page.$(`${seat('A-1-2')}.seat-selected`)).toBeNull();
    expect(await page.$eval('[data-testid="basket"]', (basket) => basket.textContent)).not.toContain('taken by someone else');

    // Opened after the cancellation: its snapshot has no seat for sale, and none is called sold.
    await openSeatMap(page, showId);
    await page.waitForFunction(`document.querySelectorAll('.seat-map [data-state="withdrawn"]').length === 22`, { timeout: 30_000 });
    expect(errors).toEqual([]);
  });

  it('withdraws the seats of a page that loaded the show on sale, when its stream opens only after the cancellation', async () => {
    const showId = await showOnSale(`Called off unseen ${randomUUID().slice(0, 6)}`);
    const { page, errors } = await openPage(browser);
    // The page reads the show while it is on sale; its seat stream is held back until the show is cancelled,
    // as when the stream (re)connects just after: only the stream can tell the page.
    let cancelledNow!: () => void;
    const cancellation = new Promise<void>((resolve) => (cancelledNow = resolve));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      if (request.url().includes('/seat-events')) void cancellation.then(() => request.continue());
      else void request.continue();
    });
    await page.goto(`${storefront}/shows/${showId}`);
    await page.waitForSelector('[data-testid="connection"].connection-connecting');

    const cancelled = await api.http.post<{ status: string }>(`/admin/shows/${showId}/cancel`, undefined, await api.authHeaders('admin'));
    expect(cancelled.status).toBe(200);
    await eventually(async () => expect((await api.http.get<{ availability: { status: string } | null }>(`/shows/${showId}`)).body.availability?.status).toBe('cancelled'));
    cancelledNow();

    await page.waitForSelector('[data-testid="connection"].connection-live');
    await page.waitForFunction(`document.querySelectorAll('.seat-map [data-state="withdrawn"]').length === 22`, { timeout: 30_000 });
    expect(await page.$eval('.notice', (notice) => notice.textContent)).toContain('cancelled');
    expect(errors).toEqual([]);
  });

  it('tells a buyer whose payment is declined why, step by step, and frees the seats again for everyone', async () => {
    const showId = await showOnSale(`Declined ${randomUUID().slice(0, 6)}`);
    const { page, errors } = await openPage(browser);
    await openSeatMap(page, showId);
    await page.click(seat('B-1-2'));
    await signIn(page, 'decline-dora');
    await page.click('[data-testid="basket"] button.primary');
    await page.waitForSelector('[data-testid="order"][data-status="rejected"]', { timeout: 60_000 });
    expect(await page.$eval('[data-testid="rejection"]', (e) => e.textContent)).toContain('Your payment was declined');
    const declinedSteps = [
      ['done', 'Seats held'],
      ['failed', 'Payment declined: test customer declined'],
      ['done', 'Seats released'],
      ['failed', 'Rejected'],
    ];
    expect(await stepsShown(page)).toEqual(declinedSteps);
    await screenshot(page, 'order-rejected');
    const orderId = page.url().split('/orders/')[1]!;

    // Another browser (nothing in its storage) lists the order under "my orders", and its page, opened after the
    // saga ended, still shows every step the order passed: they come from the order's history, not from this page.
    const elsewhere = await openPage(browser);
    await elsewhere.page.goto(`${storefront}/me`);
    await signIn(elsewhere.page, 'decline-dora');
    await elsewhere.page.waitForSelector(`[data-testid="order-card"][data-order-id="${orderId}"][data-status="rejected"]`);
    expect(await elsewhere.page.$eval(`[data-order-id="${orderId}"]`, (card) => card.textContent)).toContain('B-1-2');
    await elsewhere.page.click(`[data-order-id="${orderId}"] h2 a`);
    await elsewhere.page.waitForSelector('[data-testid="order"][data-status="rejected"]');
    expect(elsewhere.page.url()).toBe(`${storefront}/orders/${orderId}`);
    expect(await stepsShown(elsewhere.page)).toEqual(declinedSteps);
    // Its trace is linked there too: the order names it, not this browser's storage (ADR 0044).
    const traceHref = await page.$eval('[data-testid="trace-link"]', (link) => link.getAttribute('href'));
    expect(traceHref).toMatch(/^\/console\/traces\/[0-9a-f]{32}$/);
    expect(await elsewhere.page.$eval('[data-testid="trace-link"]', (link) => link.getAttribute('href'))).toBe(traceHref);
    expect(elsewhere.errors).toEqual([]);

    await page.click('::-p-text(Back to the seat map)');
    await page.waitForSelector(seatIn('B-1-2', 'free'));
    expect(await orderStatus(page)).toBeNull();
    expect(errors).toEqual([]);
  });

  it('signs in with any name, as the demo customer it stands for', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${storefront}/sign-in`);
    await signIn(page, '  Zoë O’Neil ');
    expect(await page.$eval('.who', (e) => e.textContent)).toContain('zoe-o-neil');
    const session = JSON.parse((await page.evaluate(() => localStorage.getItem('boxoffice.session')))!) as { username: string; token: string };
    expect(session.username).toBe('zoe-o-neil');
    expect((await api.http.get('/me/tickets', { authorization: `Bearer ${session.token}` })).status).toBe(200);

    await page.click('.who ::-p-text(sign out)');
    await page.goto(`${storefront}/sign-in`);
    await page.type('.sign-in input[name="username"]', '!!!');
    await page.click('.sign-in button[type="submit"]');
    await page.waitForSelector('::-p-text(Use some letters or digits in the name.)');
    expect(errors).toEqual([]);
  });

  it('asks a buyer whose sign-in expired to sign in again, rather than showing no orders, then shows them', async () => {
    const showId = await showOnSale(`Expired ${randomUUID().slice(0, 6)}`);
    const placed = await api.placeOrder('erin', { showId, seatIds: ['A-2-7'] });
    expect((await api.settledOrder('erin', placed.body.orderId)).status).toBe('confirmed');
    const { page, errors } = await openPage(browser);
    await page.goto(`${storefront}/sign-in`);
    // erin signed in on this browser yesterday: the token kept there has expired since.
    await page.evaluate((token) => localStorage.setItem('boxoffice.session', JSON.stringify({ username: 'erin', token })), expiredCustomerToken('erin'));

    await page.goto(`${storefront}/me`);
    await page.waitForSelector('[data-testid="session-expired"]');
    expect(await page.$eval('[data-testid="session-expired"]', (e) => e.textContent)).toContain('Your sign-in as erin has expired');
    expect(await page.$('.who')).toBeNull();
    expect(await page.evaluate(() => localStorage.getItem('boxoffice.session'))).toBeNull();

    await signIn(page, 'erin');
    await page.waitForSelector(`[data-testid="order-card"][data-order-id="${placed.body.orderId}"][data-status="confirmed"]`);
    expect(await page.$('[data-testid="session-expired"]')).toBeNull();
    // The browser reports each refused request (the gateway's 401s) on its console; nothing else may fail.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
  });

  it('serves every page of the single-page app from the storefront, with the API address from its own settings', async () => {
    const config = await eventually(async () => (await fetch(`${storefront}/config.json`)).json());
    expect(config).toEqual({ apiUrl: stack.gatewayUrl });
    for (const path of ['/', '/me', '/sign-in', `/orders/${randomUUID()}`]) {
      const response = await fetch(`${storefront}${path}`);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 200, 'text/html; charset=utf-8']);
    }
    const { page, errors } = await openPage(browser);
    await page.goto(`${storefront}/no/such/page`);
    await page.waitForSelector('::-p-text(Page not found)');
    expect(errors).toEqual([]);
  });
});
