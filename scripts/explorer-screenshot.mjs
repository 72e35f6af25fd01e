// Refreshes docs/explorer-stream.png, the README's picture of a stream in the explorer: starts the built
// service on a throwaway SQLite file, tells a cart's short story through the API, and photographs its
// stream at version 2 in Debian's Chromium. Run it with `npm run screenshot:explorer` (which builds first).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT = join(process.cwd(), 'docs', 'explorer-stream.png');

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

async function call(base, method, path, body, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), 'ledgerline-screenshot-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: join(folder, 'db.sqlite'),
      AUTH_MODE: 'off',
      NODE_ENV: '',
    },
    stdio: 'ignore',
  });
  let browser;
  try {
    for (let tries = 0; ; tries += 1) {
      const up = await fetch(`${base}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) break;
      if (tries > 300) throw new Error('the service did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { cartId } = await call(base, 'POST', '/carts', { customerId: 'customer-42' });
    await call(base, 'POST', `/carts/${cartId}/items`, {
      productId: 'running-shoes',
      quantity: 2,
      unitPriceCents: 4999,
    });
    await call(base, 'POST', `/carts/${cartId}/items`, { productId: 'socks', quantity: 3, unitPriceCents: 250 });
    await call(base, 'POST', `/carts/${cartId}/checkout`, undefined, { 'X-Correlation-Id': 'checkout-customer-42' });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(`${base}/explorer/#/stream/shopping-cart-${cartId}?version=2`);
    await page.getByRole('region', { name: 'State' }).getByText('"version": 2').waitFor();
    await page.getByText('The event that caused it').or(page.getByText('A request: command')).waitFor();
    await page.screenshot({ path: OUTPUT });
    console.log(`Wrote ${OUTPUT}`);
  } finally {
    await browser?.close();
    service.kill();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
