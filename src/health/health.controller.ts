import { Controller, Get, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { PublicRoute } from '../auth/roles';
import { DatabaseUnavailable } from '../database/database-unavailable';
import { HealthResponse } from './health.response';

@ApiTags('health')
@Controller('health')
@PublicRoute()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: HealthResponse, description: 'The service is up and its database answers.' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer (problem+json, with Retry-After).' })
  async check(): Promise<HealthResponse> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch (error) {
      // The driver's message can name hosts, users and paths: it goes to the log, not to the caller.
      this.logger.error(
        `Health check failed: ${error instanceof Error ? error.message : String(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
      throw new DatabaseUnavailable();
    }
    return { status: 'ok', database: this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite' };
  }
}
