/**
 * The live feed's load driver, in its own process. `--mode=seed` fills the service's log through HTTP
 * commands (7,500 events, about the size of the log that froze the service in issue 17);
 * `--mode=measure` opens BENCH_LIVE_READERS streams at `?after=0` that never read, then times GET /health
 * every 50 ms for BENCH_LIVE_SECONDS while they are open. The parent reads the server's memory.
 */
import { get, IncomingMessage } from 'node:http';
import { arg, childMain, inParallel, intEnv, Metrics, sleep } from './lib/child';
import { send } from './lib/http';
import { percentile, since } from './lib/stats';

const READERS = intEnv('BENCH_LIVE_READERS', 100);
const SECONDS = intEnv('BENCH_LIVE_SECONDS', 10);
const CARTS = 75;
const ITEMS_PER_CART = 99;

async function seed(url: string): Promise<Metrics> {
  await inParallel(CARTS, 8, async (cart) => {
    const opened = await send(`${url}/carts`, 'POST', { customerId: `live-feed-${cart}` });
    if (opened.status !== 201) throw new Error(`open cart answered ${opened.status}: ${opened.body}`);
    const { cartId } = JSON.parse(opened.body) as { cartId: string };
    for (let item = 0; item < ITEMS_PER_CART; item += 1) {
      const productId = `sku-${item}-`.padEnd(100, 'x');
      const added = await send(`${url}/carts/${cartId}/items`, 'POST', { productId, quantity: 1, unitPriceCents: 1 });
      if (added.status !== 200) throw new Error(`add-item answered ${added.status}: ${added.body}`);
    }
  });
  return { events: CARTS * (ITEMS_PER_CART + 1) };
}

/** A stream whose client stops reading once it has the response head. */
function stalledReader(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(`${url}/events/live?after=0`, { agent: false }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`GET /events/live answered ${response.statusCode}`));
      response.pause();
      resolve(response);
    }).on('error', reject);
  });
}

async function measure(url: string): Promise<Metrics> {
  const readers = await Promise.all(Array.from({ length: READERS }, () => stalledReader(url)));
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    const health = await send(`${url}/health`, 'GET');
    if (health.status !== 200) throw new Error(`/health answered ${health.status}: ${health.body}`);
    latencies.push(since(start));
    await sleep(50);
  }
  for (const reader of readers) reader.destroy();
  latencies.sort((a, b) => a - b);
  return {
    healthP50Ms: percentile(latencies, 50),
    healthP99Ms: percentile(latencies, 99),
    healthMaxMs: latencies.at(-1) ?? NaN,
  };
}

childMain(() => (arg('mode') === 'seed' ? seed(arg('url')) : measure(arg('url'))));
