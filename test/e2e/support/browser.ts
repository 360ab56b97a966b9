import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * Debian's Chromium, driven headless with puppeteer-core: nothing downloads
 * a browser (`apt-get install chromium`; .ci/run does it when it is missing).
 * CHROMIUM_PATH names another binary.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`No Chromium at ${candidates.join(' or ')}: install Debian's with \`apt-get update && apt-get install -y chromium\`, or set CHROMIUM_PATH`);
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--window-size=1280,900'],
    defaultViewport: { width: 1280, height: 900 },
  });
}

/**
 * Where the browser tests write a screenshot of each page:
 * BOXOFFICE_SCREENSHOT_DIR (`npm run screenshots` sets docs/screenshots,
 * the ones the README shows), else .boxoffice/test-results/screenshots.
 */
export function screenshotDir(): string {
  const dir = resolve(process.env.BOXOFFICE_SCREENSHOT_DIR ?? join('.boxoffice', 'test-results', 'screenshots'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Let images (the QR codes) finish decoding and transitions settle.
  await page.evaluate(`Promise.all([...document.images].map((image) => image.complete || new Promise((done) => image.addEventListener('load', done, { once: true }))))`);
  await page.screenshot({ path: join(screenshotDir(), `${name}.png`) as `${string}.png` });
}

/**
 * A page that fails its test when the app throws: every uncaught error and
 * console error is kept, for `expect(errors).toEqual([])`.
 */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  return { page, errors };
}
