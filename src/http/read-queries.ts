import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';
import type { EventView } from '../event-sourcing/history/event-view';
import type { AggregateEventsPage } from '../event-sourcing/history/get-aggregate-events.query';
import { MAX_STREAM_VERSION } from '../event-sourcing/event-store';
import { QueryInteger } from './query-integer';
import { RequestValidationFailed } from './request-validation';

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

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Time travel by time: the aggregate as it was after its last event recorded at or before this ISO 8601 ' +
      'instant with a time zone, e.g. `2026-11-26T11:20:00.250Z` (milliseconds count; 404 when it did not ' +
      'exist yet). Not together with atVersion.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'asOf must be an ISO 8601 instant' })
  @Matches(/(?:Z|[+-]\d{2}:?\d{2})$/i, { message: 'asOf must name its time zone (Z or an offset)' })
  asOf?: string;
}

/** Where an aggregate read travels to, if anywhere: a version, or an instant. */
export type TimeTravel = { atVersion: number } | { asOf: Date } | undefined;

/** The read's time travel; refuses atVersion and asOf together, which could disagree. */
export function timeTravel({ atVersion, asOf }: Readonly<AggregateReadQuery>): TimeTravel {
  if (atVersion !== undefined && asOf !== undefined) {
    throw new RequestValidationFailed([{ field: 'asOf', messages: ['asOf and atVersion cannot be combined'] }]);
  }
  if (atVersion !== undefined) return { atVersion };
  if (asOf === undefined) return undefined;
  const instant = new Date(asOf);
  if (Number.isNaN(instant.getTime())) {
    throw new RequestValidationFailed([{ field: 'asOf', messages: ['asOf must be an ISO 8601 instant'] }]);
  }
  return { asOf: instant };
}

const EVENTS_PAGE = 100;
const EVENTS_PAGE_MAX = 1000;

/** `?afterVersion=&limit=` of an aggregate's event list; absent ones take their defaults. */
export class AggregateEventsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_STREAM_VERSION,
    default: 0,
    description: 'Return the events after this stream version (the `version` of the last event you have)',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(MAX_STREAM_VERSION)
  afterVersion: number = 0;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: EVENTS_PAGE_MAX,
    default: EVENTS_PAGE,
    description: 'How many events at most; while more follow, a `Link: <…>; rel="next"` header names the next page',
  })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(EVENTS_PAGE_MAX)
  limit: number = EVENTS_PAGE;
}

/** The Link header of an aggregate's event page, for the routes' OpenAPI responses. */
export const EVENTS_PAGE_HEADERS = {
  Link: {
    description: 'Sent while more events follow: `<{path}?afterVersion={last version}&limit={limit}>; rel="next"`',
    schema: { type: 'string' },
  },
};

/** The page's events; while more follow, the next page's address goes in a Link header (RFC 8288). */
export function eventsPage(response: Response, path: string, limit: number, page: AggregateEventsPage): EventView[] {
  const last = page.events.at(-1);
  if (page.more && last !== undefined) {
    response.setHeader('Link', `<${path}?afterVersion=${last.version}&limit=${limit}>; rel="next"`);
  }
  return page.events;
}
