import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { startTestApp, TestApp } from './support/test-app';

// Debian's package; a browser is never downloaded. .ci/run installs it when it is missing.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The AsyncAPI React component renders the catalog, and the page shows it under the service's content
 * security policy: no script, no request to another origin, nothing the browser refuses.
 */
describe('the event catalog page', () => {
  let test: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with "apt-get install -y chromium"`);
    }
    test = await startTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('shows every current event type with its schema, and breaks no rule of the policy', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (entry) => {
      if (entry.type() === 'error') problems.push(entry.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const outside: string[] = [];
    page.on('request', (sent) => {
      if (!sent.url().startsWith(test.url)) outside.push(sent.url());
    });
    const response = await page.goto(`${test.url}/asyncapi`, { timeout: 50_000 });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.locator('script').count()).resolves.toBe(0);
    const visible = (text: string) => page.getByText(text).filter({ visible: true }).count();
    await expect(visible('Ledgerline events')).resolves.toBeGreaterThan(0);
    for (const type of ['shopping-cart.opened.v2', 'shopping-cart.checked-out.v3', 'order.placed.v3']) {
      await expect(visible(type)).resolves.toBeGreaterThan(0);
    }
    await expect(visible('"currency"')).resolves.toBeGreaterThan(0);
    await expect(visible('checkout-saga')).resolves.toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });
});
