import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { assertChromiumInstalled, launchChromium } from './support/chromium';
import { shippedOrder } from './support/order-story';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'an-explorer-test-secret-of-at-least-32-characters';

type Acknowledged = { cartId: string; version: number; position: number };
type StoredEvent = { position: number; version: number; type: string; recordedAt: string };

/** Controls that no label, aria-label or text names: every control must have one. */
const UNLABELLED = `[...document.querySelectorAll('input, button, select, textarea')]
  .filter((control) => !(control.labels?.length || control.getAttribute('aria-label') || control.textContent.trim()))
  .map((control) => control.outerHTML)`;

/**
 * The explorer in a real browser, as a support person uses it: find a cart, travel through its history,
 * follow its checkout to the order, watch the live feed, retry a parked event, check the log's integrity.
 * The page is the same on both engines, so this runs on SQLite only. Needs `npm run build` first (as
 * `npm test` does): the service serves the explorer from dist/explorer.
 */
describe('the event explorer in a browser', () => {
  let test: TestApp;
  let secured: TestApp;
  let browser: Browser;
  let page: Page;
  let cartId: string;
  let orderId: string;
  const story = `story-${randomUUID()}`;
  const api = () => request(test.url);

  beforeAll(async () => {
    assertChromiumInstalled();
    if (!existsSync(join(process.cwd(), 'dist', 'explorer', 'index.html'))) {
      throw new Error('dist/explorer is missing: run "npm run build" first (npm test does)');
    }
    // One after the other: each sets the environment its modules read while they start.
    test = await startTestApp({ SAGA_ATTEMPTS: '1', SAGA_BACKOFF_MS: '10' });
    secured = await startTestApp({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' });
    ({ cartId, orderId } = await shippedOrder(test.url, {
      customerId: 'explorer',
      lines: [
        { productId: 'running-shoes', quantity: 2, unitPriceCents: 4999 },
        { productId: 'socks', quantity: 3, unitPriceCents: 250 },
      ],
      correlationId: story,
    }));

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([test?.close(), secured?.close()]);
  });

  const state = () => page.getByRole('region', { name: 'State' });
  const unlabelled = async () => expect(await page.evaluate<string[]>(UNLABELLED)).toEqual([]);

  it("finds a cart by its id, and the keyboard reaches the search from the page's start", async () => {
    await page.goto(`${test.url}/explorer`);
    await page.getByRole('heading', { name: 'Streams' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/streams');
    await page.getByRole('link', { name: `shopping-cart-${cartId}` }).waitFor();
    await unlabelled();

    await page.locator('body').focus();
    for (let tabs = 0; tabs < 12; tabs += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate<boolean>("document.activeElement?.id === 'find-stream'")) break;
    }
    await page.keyboard.type(cartId);
    await page.keyboard.press('Enter');
    await page.getByText('1 stream matches').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/streams?q=${cartId}`);
    await page.getByRole('link', { name: `shopping-cart-${cartId}` }).click();
    await page.getByRole('heading', { name: `Stream shopping-cart-${cartId}` }).waitFor();
    await state().getByText('"version": 4').waitFor();
    await unlabelled();
  });

  it('slides to version 2 and shows the cart as it was then, at an address that can be shared', async () => {
    const slider = page.getByRole('slider', { name: 'Version' });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await state().getByText('"version": 2').waitFor();
    const shown = await state().textContent();
    expect(shown).toContain('running-shoes');
    expect(shown).not.toContain('socks');
    expect(shown).toContain('"status": "open"');
    await page.getByRole('heading', { name: 'Version 2: shopping-cart.item-added.v1' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/stream/shopping-cart-${cartId}?version=2`);

    await page.reload();
    await state().getByText('"version": 2').waitFor();
    expect(await page.getByRole('slider', { name: 'Version' }).inputValue()).toBe('2');
  });

  it('travels to an instant typed into "As of"', async () => {
    const events = (await api().get(`/carts/${cartId}/events`).expect(200)).body as StoredEvent[];
    const third = events[2]!;
    const expected = Math.max(...events.filter((event) => event.recordedAt <= third.recordedAt).map((e) => e.version));
    await page.getByLabel('As of').fill(third.recordedAt);
    await page.getByRole('button', { name: 'Travel' }).click();
    await state().getByText(`"version": ${expected}`).waitFor();
    expect(new URL(page.url()).hash).toBe(
      `#/stream/shopping-cart-${cartId}?asOf=${encodeURIComponent(third.recordedAt)}`,
    );
    await page.getByLabel('As of').fill('yesterday');
    await page.getByRole('button', { name: 'Travel' }).click();
    await page.getByText('Type an instant with its time zone').waitFor();
  });

  it("follows the checkout's correlation to the order's events, and back to what caused them", async () => {
    await page.getByRole('button', { name: /^v4 shopping-cart\.checked-out\.v3/ }).click();
    await page.getByRole('link', { name: 'Events with the same correlation id' }).click();
    await page.getByRole('heading', { name: 'Correlation' }).waitFor();
    const story = page.locator('ol.story > li');
    await story.nth(3).waitFor();
    const lines = await story.locator('.story-head').allTextContents();
    expect(lines).toEqual([
      `shopping-cart.checked-out.v3 in shopping-cart-${cartId}, version 4`,
      `order.placed.v3 in order-${orderId}, version 1`,
      `order.paid.v1 in order-${orderId}, version 2`,
      `order.shipped.v1 in order-${orderId}, version 3`,
    ]);

    await page.getByRole('link', { name: `order-${orderId}, version 1` }).click();
    await page.getByRole('heading', { name: 'Version 1: order.placed.v3' }).waitFor();
    await state().getByText('"status": "placed"').waitFor();
    await page.getByRole('link', { name: /^The event that caused it: shopping-cart\.checked-out\.v3/ }).click();
    await page.getByRole('heading', { name: 'Version 4: shopping-cart.checked-out.v3' }).waitFor();
  });

  it('watches new events arrive live, filtered by category, and misses none while paused', async () => {
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByText('Connected: new events appear here').waitFor();
    const opened = (await api().post('/carts').send({ customerId: 'live' }).expect(201)).body as Acknowledged;
    await page.getByRole('link', { name: `shopping-cart-${opened.cartId} v1` }).waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused').waitFor();
    await api()
      .post(`/carts/${opened.cartId}/items`)
      .send({ productId: 'hat', quantity: 1, unitPriceCents: 900 })
      .expect(200);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('link', { name: `shopping-cart-${opened.cartId} v2` }).waitFor();

    await page.getByLabel('Category').fill('order');
    expect(await page.getByRole('link', { name: `shopping-cart-${opened.cartId} v2` }).count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#/live?category=order');
    await page.getByLabel('Category').fill('shopping-cart');
    await page.getByRole('link', { name: `shopping-cart-${opened.cartId} v2` }).waitFor();
    await unlabelled();
  });

  it('shows a parked event and retries it, and rebuilds a projection after a confirmation', async () => {
    // A checkout with no lines: the Order aggregate refuses an empty order, so the saga parks it.
    const brokenCart = randomUUID();
    const [inserted] = await test.dataSource.query<{ position: number }[]>(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash)
       VALUES (?, ?, 1, 'shopping-cart.checked-out.v1', ?, ?, ?, 'not chained') RETURNING position`,
      [
        randomUUID(),
        `shopping-cart-${brokenCart}`,
        JSON.stringify({ cartId: brokenCart, customerId: 'broken', lines: [], totalCents: 0 }),
        JSON.stringify({ correlationId: randomUUID() }),
        new Date().toISOString(),
      ],
    );
    const position = Number(inserted?.position);
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('rowheader', { name: 'cart-details' }).waitFor();
    await page.getByRole('img', { name: /^Lag over the last 5 minutes/ }).waitFor();
    const retry = page.getByRole('button', { name: `Retry the parked event at position ${position} of checkout-saga` });
    await retry.waitFor();
    await unlabelled();
    await retry.click();
    await page
      .getByRole('alert')
      .getByText(`Retrying the event at position ${position} of checkout-saga failed`)
      .waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('has no lines');

    await page.getByRole('button', { name: 'Rebuild…' }).first().click();
    await page.getByRole('button', { name: /^Rebuild [a-z-]+$/ }).click();
    await page.getByText(/is being rebuilt from position 0/).waitFor();
  });

  it('runs the integrity check and names the first broken event', async () => {
    await page.getByRole('link', { name: 'Integrity' }).click();
    await page.getByRole('button', { name: 'Run the integrity check' }).click();
    await page.getByText('The log is broken.').waitFor();
    const broken = page.getByRole('link', { name: /^shopping-cart-[0-9a-f-]+, version 1$/ });
    expect(await broken.count()).toBe(1);
    await page.getByText('its hash does not match its content and its predecessor').waitFor();

    await page.getByLabel('Stream or aggregate id (empty: every stream)').fill(cartId);
    await page.getByRole('button', { name: 'Run the integrity check' }).click();
    await page.getByText('Every hash chain is intact: 1 stream and 4 events checked.').waitFor();
  });

  it('works 390 pixels wide, with nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${test.url}/explorer/#/stream/shopping-cart-${cartId}?version=3`);
    await state().getByText('"version": 3').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await page.getByRole('slider', { name: 'Version' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('rowheader', { name: 'cart-details' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('asks for an access token with AUTH_MODE=jwt and tells 401 and 403 in sentences', async () => {
    const token = (roles: string[]) =>
      jwt.sign({ sub: 'support', roles }, SECRET, { algorithm: 'HS256', expiresIn: 300 });
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      await other.goto(`${secured.url}/explorer/#/subscriptions`);
      await other.getByRole('alert').getByText('The service asks for an access token').waitFor();

      await other.getByLabel('Access token').fill(token(['read']));
      await other.getByRole('button', { name: 'Use token' }).click();
      await other
        .getByRole('alert')
        .getByText('Your access token does not allow this: it needs the "admin" role.')
        .waitFor();

      await other.getByRole('link', { name: 'Streams' }).click();
      await other.getByText('The newest streams').waitFor();

      await other.getByLabel('Access token').fill('not-a-token');
      await other.getByRole('button', { name: 'Use token' }).click();
      await other.getByRole('alert').getByText('The service did not accept your access token').waitFor();
    } finally {
      await context.close();
    }
  });
});
