import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The AsyncAPI React component renders the catalog, and the page shows it under the service's content
 * security policy: no script, no request to another origin, nothing the browser refuses.
 */
describe('the event catalog page', () => {
  let test: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    test = await startTestApp();
    browser = await launchChromium();
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
