/**
 * Benchmark 5's load generator, in its own process so it never shares a core's event loop with the
 * server. `--target=bare` drives the bare app's no-op routes (the ceiling), then times its GET one at a
 * time (read-after-write's floor: what one sequential request costs on this machine); `--target=service` opens
 * carts, then drives add-item commands, GET /carts/{id} and GET /orders/{id} with autocannon (50
 * connections), then measures read-after-write sequentially: a command, then GET ?consistentWith=<its
 * position>. Each measured load also reports the server's CPU time per answered request.
 */
import autocannon from 'autocannon';
import { arg, childMain, inParallel, intEnv, Metrics, sleep } from './lib/child';
import { cpuMs, send } from './lib/http';
import { percentile, since } from './lib/stats';

const SECONDS = intEnv('BENCH_HTTP_SECONDS', 5);
const CONNECTIONS = 50;
const CARTS = 1_000;
/** Carts checked out so that the checkout saga places that many orders to read. */
const ORDERS = 200;
const READ_AFTER_WRITE = intEnv('BENCH_READ_AFTER_WRITE', 500);
const bodies = Array.from({ length: 10 }, (_, i) =>
  JSON.stringify({ productId: `sku-${i}`, quantity: 1, unitPriceCents: 100 + i }),
);

interface Shot {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** Server CPU (user + system) per answered request, in ms. */
  cpuMs: number;
}

/** Autocannon over `paths` (and `body` per request) round-robin; only 2xx answers count as done. */
async function cannon(url: string, method: 'GET' | 'POST', paths: string[], seconds: number): Promise<Shot> {
  let next = 0;
  const serverPid = Number(arg('server-pid'));
  const cpuBefore = cpuMs(serverPid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method,
        setupRequest: (request) => {
          const i = next++;
          return { ...request, path: paths[i % paths.length], body: method === 'POST' ? bodies[i % 10] : undefined };
        },
      },
    ],
  });
  const answered = result['2xx'] + result.non2xx;
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
    cpuMs: (cpuMs(serverPid) - cpuBefore) / answered,
  };
}

/** A warm-up second (JIT, connection pools), then the measured run. */
async function measured(url: string, method: 'GET' | 'POST', paths: string[]): Promise<Shot> {
  await cannon(url, method, paths, 1);
  return cannon(url, method, paths, SECONDS);
}

async function bare(url: string): Promise<Metrics> {
  const post = await measured(url, 'POST', ['/noop']);
  const get = await measured(url, 'GET', ['/noop']);
  // The floor of read-after-write: one GET at a time on a kept-alive connection, as the service's is sent.
  const sequentialMs: number[] = [];
  for (let i = 0; i < READ_AFTER_WRITE; i += 1) {
    const start = performance.now();
    await send(`${url}/noop`, 'GET');
    sequentialMs.push(since(start));
  }
  sequentialMs.sort((a, b) => a - b);
  return {
    sequentialGetP50Ms: percentile(sequentialMs, 50),
    sequentialGetP99Ms: percentile(sequentialMs, 99),
    postRps: post.rps,
    postP50Ms: post.p50,
    postP99Ms: post.p99,
    getRps: get.rps,
    getP50Ms: get.p50,
    getP99Ms: get.p99,
    getCpuMs: get.cpuMs,
    failed: post.failed + get.failed,
  };
}

/** Sends a command and returns the position it answered with. */
async function addItem(url: string, cartId: string, body: string): Promise<number> {
  const response = await send(`${url}/carts/${cartId}/items`, 'POST', JSON.parse(body));
  if (response.status !== 200) throw new Error(`add-item answered ${response.status}: ${response.body}`);
  return (JSON.parse(response.body) as { position: number }).position;
}

/** Waits until the cart read model has `position` (each consistentWith read waits at most 5 s). */
async function readModelsAt(url: string, cartId: string, position: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await send(`${url}/carts/${cartId}?consistentWith=${position}`, 'GET')).status !== 200) {
    if (Date.now() > deadline) throw new Error(`the read model did not reach ${position} within 120 s`);
    await sleep(100);
  }
}

/** Checks out ORDERS fresh carts and returns the ids of the orders the saga placed for them. */
async function placeOrders(url: string): Promise<string[]> {
  const cartIds: string[] = [];
  await inParallel(ORDERS, CONNECTIONS, async (i) => {
    const opened = await send(`${url}/carts`, 'POST', { customerId: `buyer-${i}` });
    const cartId = (JSON.parse(opened.body) as { cartId: string }).cartId;
    await addItem(url, cartId, bodies[i % 10] ?? '');
    const checkedOut = await send(`${url}/carts/${cartId}/checkout`, 'POST');
    if (checkedOut.status !== 200) throw new Error(`checkout answered ${checkedOut.status}: ${checkedOut.body}`);
    cartIds[i] = cartId;
  });
  const orderIds: string[] = [];
  const deadline = Date.now() + 120_000;
  for (const cartId of cartIds) {
    for (;;) {
      const found = JSON.parse((await send(`${url}/orders?cartId=${cartId}`, 'GET')).body) as { orderId: string }[];
      if (found[0] !== undefined) {
        orderIds.push(found[0].orderId);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no order for cart ${cartId} within 120 s`);
      await sleep(50);
    }
  }
  return orderIds;
}

async function service(url: string): Promise<Metrics> {
  const cartIds: string[] = [];
  let position = 0;
  await inParallel(CARTS, CONNECTIONS, async (i) => {
    const response = await send(`${url}/carts`, 'POST', { customerId: `customer-${i % 100}` });
    if (response.status !== 201) throw new Error(`open cart answered ${response.status}: ${response.body}`);
    const opened = JSON.parse(response.body) as { cartId: string; position: number };
    cartIds[i] = opened.cartId;
    position = Math.max(position, opened.position);
  });
  const first = cartIds[0] ?? '';
  await readModelsAt(url, first, position);

  const commands = await measured(
    url,
    'POST',
    cartIds.map((id) => `/carts/${id}/items`),
  );
  // Reads are measured on a quiet service, not while projections still digest the command burst.
  await readModelsAt(url, first, await addItem(url, first, bodies[0] ?? ''));
  const reads = await measured(
    url,
    'GET',
    cartIds.map((id) => `/carts/${id}`),
  );
  const orderIds = await placeOrders(url);
  const orderReads = await measured(
    url,
    'GET',
    orderIds.map((id) => `/orders/${id}`),
  );

  const readMs: number[] = [];
  const pairMs: number[] = [];
  for (let i = 0; i < READ_AFTER_WRITE; i += 1) {
    const cartId = cartIds[i % CARTS] ?? '';
    const start = performance.now();
    const at = await addItem(url, cartId, bodies[i % 10] ?? '');
    const readStart = performance.now();
    const read = await send(`${url}/carts/${cartId}?consistentWith=${at}`, 'GET');
    if (read.status !== 200) throw new Error(`read-after-write answered ${read.status}: ${read.body}`);
    readMs.push(since(readStart));
    pairMs.push(since(start));
  }
  readMs.sort((a, b) => a - b);
  pairMs.sort((a, b) => a - b);
  return {
    commandRps: commands.rps,
    commandP50Ms: commands.p50,
    commandP99Ms: commands.p99,
    commandCpuMs: commands.cpuMs,
    readRps: reads.rps,
    readP50Ms: reads.p50,
    readP99Ms: reads.p99,
    readCpuMs: reads.cpuMs,
    orderReadRps: orderReads.rps,
    orderReadP50Ms: orderReads.p50,
    orderReadP99Ms: orderReads.p99,
    orderReadCpuMs: orderReads.cpuMs,
    failed: commands.failed + reads.failed + orderReads.failed,
    rawReadP50Ms: percentile(readMs, 50),
    rawReadP99Ms: percentile(readMs, 99),
    rawPairP50Ms: percentile(pairMs, 50),
    rawPairP99Ms: percentile(pairMs, 99),
  };
}

childMain(() => (arg('target') === 'bare' ? bare(arg('url')) : service(arg('url'))));
