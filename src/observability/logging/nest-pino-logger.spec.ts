import { describe, expect, it } from '@jest/globals';
import { createRootLogger } from './root-logger';
import { NestPinoLogger } from './nest-pino-logger';

function logged(level: 'info' | 'warn' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const root = createRootLogger(
    { logLevel: level, logFormat: 'json' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger: new NestPinoLogger(root), lines };
}

describe("Nest's logger over pino", () => {
  it('writes what Nest logs as JSON lines, with its context', () => {
    const { logger, lines } = logged();
    logger.log('Mapped {/carts, POST} route', 'RouterExplorer');
    logger.warn('Coordination connection lost', 'ClusterCoordinator');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'Mapped {/carts, POST} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 40, msg: 'Coordination connection lost', context: 'ClusterCoordinator' }),
    ]);
  });

  it("keeps an error's stack, given as Nest gives it or as an Error", () => {
    const { logger, lines } = logged();
    logger.error('Subscription failed', 'Error: boom\n    at x', 'SubscriptionRunner');
    logger.error(new Error('bang'), 'Bootstrap');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'Subscription failed', context: 'SubscriptionRunner' });
    expect((lines[0]!.err as { stack: string }).stack).toContain('boom');
    expect(lines[1]).toMatchObject({ level: 50, msg: 'bang', context: 'Bootstrap' });
    expect((lines[1]!.err as { stack: string }).stack).toContain('bang');
  });

  it('drops what LOG_LEVEL leaves out', () => {
    const { logger, lines } = logged('warn');
    logger.log('quiet');
    logger.debug('quieter');
    logger.warn('heard');
    expect(lines.map((line) => line.msg)).toEqual(['heard']);
  });
});

describe('LOG_FORMAT=pretty', () => {
  it('writes lines for a person instead of JSON', () => {
    let text = '';
    const root = createRootLogger(
      { logLevel: 'info', logFormat: 'pretty' },
      { write: (line: string) => void (text += line) },
    );
    new NestPinoLogger(root).log('Listening on http://127.0.0.1:3000', 'Bootstrap');
    expect(text).toContain('Listening on http://127.0.0.1:3000');
    expect(text).toContain('INFO');
    expect(text).not.toContain('"level"');
  });
});
