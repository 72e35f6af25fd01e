import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

// Compiled to CommonJS the service has __filename; under Jest's ESM mode it has not, and runs from the root.
const here = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
const COMPONENT = here.resolve('@asyncapi/react-component');
const fromComponent = createRequire(COMPONENT);

/** Where the page's stylesheet is, in the installed package. */
export const CATALOG_STYLESHEET = join(
  here.resolve('@asyncapi/react-component/package.json'),
  '..',
  'styles',
  'default.min.css',
);

/**
 * Renders the document with the AsyncAPI React component in a worker thread, which exits afterwards: the
 * component and React (some 150 MB and seconds of loading) never stay in the service's memory, nor block
 * its event loop. The component gets the document with its $refs resolved and marked as parsed, so it
 * builds its model without running the AsyncAPI parser (the catalog's test validates the document with it).
 */
const RENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const React = require(workerData.react);
const { renderToStaticMarkup } = require(workerData.server);
const { AsyncApiComponentWP } = require(workerData.component);
const resolved = (node, root) => {
  if (Array.isArray(node)) return node.map((item) => resolved(item, root));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const path = node.$ref.slice(2).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    return resolved(path.reduce((at, key) => at[key], root), root);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolved(value, root)]));
};
const schema = { ...resolved(workerData.document, workerData.document), 'x-parser-spec-parsed': true };
// No sidebar: without a script its menu button could not open it.
const config = { show: { sidebar: false }, expand: { messageExamples: true } };
parentPort.postMessage(renderToStaticMarkup(React.createElement(AsyncApiComponentWP, { schema, config })));
`;

export function renderCatalogPage(document: Record<string, unknown>): Promise<string> {
  const worker = new Worker(RENDER, {
    eval: true,
    // React's production build: faster, and without development warnings in the service's log.
    env: { ...process.env, NODE_ENV: 'production' },
    workerData: {
      document,
      component: COMPONENT,
      react: fromComponent.resolve('react'),
      server: fromComponent.resolve('react-dom/server'),
    },
  });
  return new Promise<string>((resolve, reject) => {
    worker.once('message', (markup: string) => resolve(page(markup)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The catalog page's renderer exited with ${code}`)));
  });
}

/** No script at all: the content security policy has nothing to allow beyond a same-origin stylesheet. */
function page(markup: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Ledgerline events (AsyncAPI)</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/asyncapi/assets/default.min.css">
  </head>
  <body>
    <main id="asyncapi">${markup}</main>
  </body>
</html>
`;
}
