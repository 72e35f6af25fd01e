import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, Role } from '../../auth/roles';
import { StreamNotFound } from '../../event-sourcing/event-sourcing.errors';
import { ApiProblemResponses, notFound } from '../../http/api-problem-responses.decorator';
import { BoundedStringPipe } from '../../http/bounded-string.pipe';
import { lengthRule } from '../../http/code-point-length';
import { AggregateEventsQuery, EVENTS_PAGE_HEADERS, eventsPage } from '../../http/read-queries';
import { StreamCatalog } from '../browsing/stream-catalog';
import { StreamHistory } from '../browsing/stream-history';
import { StreamListQuery } from './event-log-requests';
import { StoredEventResponse, StreamResponse } from './stream-responses';

const EXAMPLE_STREAM = 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11';

/** Every stream of the log, whatever aggregate (or none) it belongs to: for audit and troubleshooting. */
@ApiTags('streams')
@Controller('streams')
@RequireRole(Role.Read)
export class StreamsController {
  constructor(
    private readonly catalog: StreamCatalog,
    private readonly history: StreamHistory,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Streams, newest activity first, a page at a time',
    description:
      'Each with its category, version, first and last position and recorded time. While more follow, a ' +
      '`Link: </streams?…&after=<lastPosition>>; rel="next"` header names the next page. Summarised from the ' +
      'event log on each request: narrow it with `category`, `prefix` or `aggregateId` on a large log.',
  })
  @ApiOkResponse({
    type: [StreamResponse],
    headers: { Link: { description: 'Sent while more streams follow', schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400, 503)
  async list(
    @Query() query: StreamListQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamResponse[]> {
    const { category, prefix, aggregateId, after, limit } = query;
    const page = await this.catalog.list({
      category,
      prefix,
      aggregateId: aggregateId?.toLowerCase(),
      before: after,
      limit,
    });
    const last = page.streams.at(-1);
    if (page.more && last !== undefined) {
      const next = new URLSearchParams();
      for (const [name, value] of Object.entries({ category, prefix, aggregateId })) {
        if (value !== undefined) next.set(name, value);
      }
      next.set('after', String(last.lastPosition));
      next.set('limit', String(limit));
      response.setHeader('Link', `</streams?${next.toString()}>; rel="next"`);
    }
    return page.streams.map((stream) => ({
      ...stream,
      firstRecordedAt: stream.firstRecordedAt.toISOString(),
      lastRecordedAt: stream.lastRecordedAt.toISOString(),
    }));
  }

  @Get(':streamId/events')
  @ApiOperation({
    summary: "Any stream's events as stored, oldest first, with metadata and hash, a page at a time",
    description:
      'Type and data as stored (what the hash covers), not upcast; personal fields are shown decrypted, or ' +
      '`null` with `"erased": true` once erased (the hash covers their encrypted form). Page with `afterVersion` = the `version` ' +
      'of the last event you have, or follow the Link header.',
  })
  @ApiParam({ name: 'streamId', description: `The stream, e.g. \`${EXAMPLE_STREAM}\`: ${lengthRule(1, 300)}` })
  @ApiOkResponse({ type: [StoredEventResponse], headers: EVENTS_PAGE_HEADERS })
  @ApiProblemResponses(400, notFound(new StreamNotFound(EXAMPLE_STREAM), 'No such stream'), 503)
  async events(
    @Param('streamId', new BoundedStringPipe('streamId', 300)) streamId: string,
    @Query() { afterVersion, limit }: AggregateEventsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StoredEventResponse[]> {
    const page = await this.history.read(streamId, afterVersion, limit);
    return eventsPage(
      response,
      `/streams/${encodeURIComponent(streamId)}/events`,
      limit,
      page,
    ) as StoredEventResponse[];
  }
}
