import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

interface Sent {
  status: number;
  body: Record<string, unknown>;
  url: URL;
  payload: unknown;
}

/**
 * Swagger UI's "Try it out" as a reader uses it: whatever the page prefills (headers, query parameters,
 * the request body) is sent as it is, so a prefilled value that changes the request's meaning shows up
 * as a wrong answer here. The document is the same on both engines, so this runs on SQLite only.
 */
describe('Swagger UI "Try it out" on the core flow', () => {
  let test: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    test = await startTestApp();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${test.url}/docs`);
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  async function tryItOut(operationId: string): Promise<Locator> {
    const operation = page.locator(`#operations-carts-ShoppingCartsController_${operationId}`);
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    return operation;
  }

  async function execute(operation: Locator): Promise<Sent> {
    const [response] = await Promise.all([
      page.waitForResponse((candidate: Response) => {
        const url = new URL(candidate.url());
        return url.origin === test.url && !url.pathname.startsWith('/docs');
      }),
      operation.locator('button.execute').click(),
    ]);
    const request = response.request();
    return {
      status: response.status(),
      body: (await response.json()) as Record<string, unknown>,
      url: new URL(response.url()),
      payload: request.postDataJSON(),
    };
  }

  it('opens a new cart on every Execute, adds the prefilled item and reads the cart back', async () => {
    const open = await tryItOut('open');
    const first = await execute(open);
    expect({ status: first.status, body: first.body }).toMatchObject({ status: 201, body: { version: 1 } });
    const again = await execute(open);
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 201, body: { version: 1 } });
    expect(again.body.cartId).not.toBe(first.body.cartId);

    await open.locator('textarea.body-param__text').fill(JSON.stringify({ customerId: 'customer-7' }));
    const other = await execute(open);
    expect({ status: other.status, body: other.body }).toMatchObject({ status: 201, body: { version: 1 } });
    expect([first.body.cartId, again.body.cartId]).not.toContain(other.body.cartId);

    const cartId = String(first.body.cartId);
    const addItem = await tryItOut('addItem');
    await addItem.locator('tr[data-param-name="cartId"] input').fill(cartId);
    const added = await execute(addItem);
    expect({ status: added.status, body: added.body }).toEqual({
      status: 200,
      body: { cartId, version: 2, position: expect.any(Number) },
    });
    const item = added.payload as { productId: string; quantity: number; unitPriceCents: number };

    // consistentWith is the one field filled in: the read-your-writes the docs describe.
    const read = await tryItOut('get');
    await read.locator('tr[data-param-name="cartId"] input').fill(cartId);
    await read.locator('tr[data-param-name="consistentWith"] input').fill(String(added.body.position));
    const cart = await execute(read);
    expect([...cart.url.searchParams]).toEqual([['consistentWith', String(added.body.position)]]);
    expect({ status: cart.status, body: cart.body }).toEqual({
      status: 200,
      body: {
        cartId,
        customerId: (first.payload as { customerId: string }).customerId,
        status: 'open',
        items: [{ ...item, lineTotalCents: item.quantity * item.unitPriceCents }],
        totalCents: item.quantity * item.unitPriceCents,
        // Swagger UI prefills the default, so the cart means what it would without it.
        currency: (first.payload as { currency: string }).currency,
        version: 2,
      },
    });
  });
});
