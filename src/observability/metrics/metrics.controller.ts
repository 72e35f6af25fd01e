import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, Role } from '../../auth/roles';
import { ApiProblemResponses, notFound } from '../../http/api-problem-responses.decorator';
import { Metrics } from './metrics';

const METRICS_OFF = 'Metrics are turned off (METRICS_ENABLED=false)';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @RequireRole(Role.Metrics, Role.Admin)
  @ApiOperation({
    summary: 'Prometheus metrics of this instance',
    description:
      'The Prometheus text format: HTTP latency by route, commands by outcome, appends, subscription ' +
      'positions, lag and parked events, PostgreSQL pool use and the Node.js process. 404 with METRICS_ENABLED=false.',
  })
  @ApiOkResponse({
    description: 'The metrics, in the Prometheus text exposition format',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          "# HELP ledgerline_subscription_lag_events Positions between the event store's head and each " +
          "subscription's checkpoint\n# TYPE ledgerline_subscription_lag_events gauge\n" +
          'ledgerline_subscription_lag_events{subscription="cart-details"} 0\n',
      },
    },
  })
  @ApiProblemResponses(notFound(new Error(METRICS_OFF), 'METRICS_ENABLED=false'))
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    if (!this.metrics.enabled) throw new NotFoundException(METRICS_OFF);
    const text = await this.metrics.registry.metrics();
    response.type(this.metrics.registry.contentType);
    return text;
  }
}
