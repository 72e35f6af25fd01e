import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { PublicRoute } from '../auth/roles';
import { DatabaseUnavailable } from '../database/database-unavailable';
import { ApiProblemResponses, problemSample } from '../http/api-problem-responses.decorator';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown';
import { HealthResponse, LivenessResponse, ReadinessResponse } from './health.response';
import { NotReady } from './not-ready';
import { ReadinessChecks } from './readiness-checks';

@ApiTags('health')
@Controller('health')
@PublicRoute()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessChecks,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthResponse, description: 'The service is up and its database answers.' })
  @ApiProblemResponses(503)
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

  @Get('live')
  // Documented below, as problem+json: terminus' own documentation describes its plain 503 body.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description: 'Checks nothing else, so a database outage never makes an orchestrator restart the service.',
  })
  @ApiOkResponse({ type: LivenessResponse })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: the database answers, the migrations are applied and no subscription lags too far',
    description:
      "200 only when every check is up: `database` (a query answers), `migrations` (none of this build's is " +
      'pending) and `subscriptions` (every projection and saga is less than `READY_MAX_LAG` events behind the ' +
      'head). Otherwise 503 problem+json naming the failing checks, with every check in `checks`; also 503 ' +
      'while the service shuts down.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiProblemResponses(
    problemSample(
      503,
      'not-ready',
      'Not ready: subscriptions: cart-details lags 12000 events (READY_MAX_LAG is 10000)',
      'A check failed (named in detail, each one in checks), or the service is shutting down',
    ),
  )
  async ready(): Promise<HealthCheckResult> {
    // A request on a kept-alive connection can still ask while the service drains.
    if (this.shutdown.shuttingDown) throw new NotReady({});
    try {
      return await this.health.check([
        () => this.readiness.database(),
        () => this.readiness.migrations(),
        () => this.readiness.subscriptions(),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        throw new NotReady((error.getResponse() as HealthCheckResult).details);
      }
      throw error;
    }
  }
}
