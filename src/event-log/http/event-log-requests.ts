import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInteger } from '../../http/query-integer';

export class EventFeedQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description:
      "Return events after the event at this position, in the log's order (on PostgreSQL, concurrent appends can " +
      'come out of numeric order: pass the last position you received)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class LiveEventsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Start after this position (Last-Event-ID wins when both are sent; default: only new events)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({
    enum: ['cloudevents'],
    description: '`cloudevents`: each `data:` is a CloudEvent 1.0 (JSON), as on the broker; default: as in GET /events',
  })
  @IsOptional()
  @IsIn(['cloudevents'])
  format?: 'cloudevents';
}
