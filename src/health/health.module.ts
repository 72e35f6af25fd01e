import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ReadinessChecks } from './readiness-checks';

/**
 * `/health` (the database answers), and the probes an orchestrator wants: `/health/live` and
 * `/health/ready`, built on @nestjs/terminus. Its own logger is off: a failing check logs its cause here.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessChecks],
})
export class HealthModule {}
