import { Logger } from '@nestjs/common';
import { AbstractLogger, type LogLevel, type LogMessage } from 'typeorm';

/**
 * TypeORM's messages through Nest's logger, so they reach the same JSON lines: the migrations it runs at
 * start always, its queries (never their
 * parameters) only with DATABASE_LOGGING=true.
 */
export class TypeOrmNestLogger extends AbstractLogger {
  private readonly logger = new Logger('TypeORM');

  constructor(logQueries: boolean) {
    // TypeORM reports migrations it runs (and that none are pending) as schema-build messages.
    super(logQueries ? 'all' : ['schema', 'migration']);
  }

  protected writeLog(
    level: LogLevel,
    logMessage: LogMessage | string | number | (LogMessage | string | number)[],
  ): void {
    for (const { type, prefix, message } of this.prepareLogMessages(logMessage, {
      // Parameters carry event data: a query is logged without them.
      appendParameterAsComment: false,
      addColonToPrefix: false,
      highlightSql: false,
    })) {
      const text = prefix === undefined ? String(message) : `${prefix}: ${String(message)}`;
      if (type === 'query-error' || level === 'error') this.logger.error(text);
      else if (level === 'warn') this.logger.warn(text);
      else this.logger.log(text);
    }
  }
}
