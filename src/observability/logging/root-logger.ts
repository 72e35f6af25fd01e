import pino, { DestinationStream, Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { ObservabilityConfig } from '../../config/observability.config';

/** The DI token of an app's pino logger: every log line of the app, Nest's own included, goes through it. */
export const LOGGER = Symbol('LOGGER');

/** Where the app's JSON lines go: stdout unless a test holds them back. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * Stdout, written asynchronously: a request's log line never waits for the pipe. pino flushes what is
 * buffered when the process exits.
 */
export function stdoutDestination({ sync = false }: { sync?: boolean } = {}): DestinationStream {
  return pino.destination({ dest: 1, sync });
}

/**
 * JSON lines (pino's format: numeric `level`, `time`, `msg`), or coloured text with LOG_FORMAT=pretty.
 * Callers log chosen fields only: no request headers or bodies ever reach it, so no token can either.
 */
export function createRootLogger(
  { logLevel, logFormat }: Pick<ObservabilityConfig, 'logLevel' | 'logFormat'>,
  destination: DestinationStream = stdoutDestination(),
): Logger {
  const options = { level: logLevel, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (logFormat === 'pretty') {
    // Formatted in line, so any destination (a test's included) takes the text.
    const prettify = prettyFactory({
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      messageFormat: '{if context}[{context}] {end}{msg}',
      ignore: 'pid,hostname,context',
    });
    return pino(options, { write: (line: string) => destination.write(prettify(line)) });
  }
  return pino(options, destination);
}
