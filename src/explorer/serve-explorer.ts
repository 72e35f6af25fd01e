import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where `npm run build` puts the explorer (explorer/ compiled, with its page and styles): dist/explorer.
 * The built service runs from dist/src/explorer; the tests run the sources from the project folder, as
 * ES modules, where `__dirname` does not exist.
 */
export const EXPLORER_DIR =
  typeof __dirname === 'string' ? join(__dirname, '..', '..', 'explorer') : join(process.cwd(), 'dist', 'explorer');

/**
 * Serves the event explorer, a single page that calls the API from the same origin, at `/explorer/`. The
 * page itself is public, like /docs: what it shows comes from API calls that carry the reader's token.
 */
export function serveExplorer(app: NestExpressApplication, folder = EXPLORER_DIR): void {
  if (!existsSync(join(folder, 'index.html'))) return;
  app.useStaticAssets(folder, { prefix: '/explorer/', index: 'index.html', redirect: true, fallthrough: true });
}
