import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';
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

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description:
      "Only the events of this correlation (metadata's `correlationId`): a request and everything it caused, " +
      `across streams, in the log's order: ${lengthRule(1, 200)}`,
  })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 200)
  correlationId?: string;
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

const STREAMS_PAGE = 50;
const STREAMS_PAGE_MAX = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters of the stream list; they combine. */
export class StreamListQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: `Only streams of this category, e.g. \`shopping-cart\` (ids \`<category>-…\`): ${lengthRule(1, 200)}`,
  })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 200)
  category?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: `Only streams whose id starts with this (a whole stream id finds that stream): ${lengthRule(1, 300)}`,
  })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 300)
  prefix?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only the streams of this aggregate id (a cart's or an order's UUID): ids ending in `-<aggregateId>`",
  })
  @IsOptional()
  @IsString()
  @Matches(UUID, { message: 'aggregateId must be a UUID' })
  aggregateId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'The next page: streams whose last event comes before this position (the `lastPosition` of the last ' +
      'stream you received; the Link header names it)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: STREAMS_PAGE_MAX, default: STREAMS_PAGE })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(STREAMS_PAGE_MAX)
  limit: number = STREAMS_PAGE;
}
