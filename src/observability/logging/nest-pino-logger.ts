import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/**
 * Nest's LoggerService over pino, so Nest's own lines (and every `new Logger(...)` in the code) come out
 * as the same JSON as the request lines, with the logger's context as `context`. Written here rather than
 * taken from nestjs-pino, a CommonJS package that require()s @nestjs/common and so cannot load under
 * Jest's ESM mode.
 */
export class NestPinoLogger implements LoggerService {
  constructor(readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest calls `(message, context)`, or for errors `(message, stack, context)`; the context is the last
   * string. An Error as the message keeps its stack under `err`.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (params.length > 0 && typeof params.at(-1) === 'string') fields.context = params.pop();
    if (level === 'error' || level === 'fatal') {
      const stack = params.find((param) => typeof param === 'string');
      if (typeof stack === 'string') fields.err = { stack };
    }
    if (message instanceof Error) {
      fields.err = message;
      this.root[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.root[level]({ ...fields, ...message });
    } else {
      this.root[level](fields, String(message));
    }
  }
}
