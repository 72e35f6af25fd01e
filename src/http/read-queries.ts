import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_STREAM_VERSION, QueryInteger } from './query-integer';

/**
 * `?consistentWith=`, accepted by every read-model query. Optional parameters get a description and no
 * example: Swagger UI fills an example in and sends it, which would make every read a different one.
 */
export class ConsistentReadQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'A `position` from a command response: answer only once the read model has applied it (waits at most ' +
      'CONSISTENCY_WAIT_MS, default 5 s, then 503; a position nothing has been written at is a 400).',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  consistentWith?: number;
}

/** The query of one aggregate's read: consistentWith, or time travel with atVersion. */
export class AggregateReadQuery extends ConsistentReadQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_STREAM_VERSION,
    description:
      'Time travel: the aggregate as it was at this stream version, rebuilt from its events (404 beyond the ' +
      'current version)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_STREAM_VERSION)
  atVersion?: number;
}
