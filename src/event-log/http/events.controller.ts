import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/auth.guard';
import { clientKey } from '../../auth/client-key';
import { RequireRole, Role } from '../../auth/roles';
import { natsConfig } from '../../config/nats.config';
import { EventStore } from '../../event-sourcing/event-store';
import { EventTypeRegistry } from '../../event-sourcing/event-type-registry';
import { toEventView } from '../../event-sourcing/history/event-view';
import { ApiProblemResponses, problemSample } from '../../http/api-problem-responses.decorator';
import { EventResponse } from '../../http/event-response';
import { RequestValidationFailed } from '../../http/request-validation';
import { CorrelatedEvents } from '../browsing/correlated-events';
import { CLOUDEVENT_BATCH_MEDIA_TYPE, CloudEvent, toCloudEvent } from '../../integration/cloud-event';
import { LiveEvents } from '../live-events';
import { LiveStreamSlots } from '../live-stream-slots';
import { TooManyLiveStreams } from '../live-streams.errors';
import { CloudEventResponse } from './cloud-event-response';
import { EventFeedQuery, LiveEventsQuery } from './event-log-requests';
import { LastEventId } from './last-event-id.decorator';

const TOO_MANY_LIVE_STREAMS = problemSample(
  429,
  'too-many-live-streams',
  new TooManyLiveStreams(10).message,
  'The client already holds LIVE_STREAMS_PER_CLIENT open streams; see Retry-After',
);

/** The global event feed for external consumers: every stream, in the log's order (EventStore.readAll). */
@ApiTags('events')
@ApiExtraModels(EventResponse, CloudEventResponse)
@Controller('events')
@RequireRole(Role.Read)
export class EventsController {
  constructor(
    private readonly store: EventStore,
    private readonly registry: EventTypeRegistry,
    private readonly live: LiveEvents,
    private readonly slots: LiveStreamSlots,
    private readonly correlated: CorrelatedEvents,
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Events after a position, in the log's order (page with the last position you received)",
    description:
      'With `correlationId`, only the events of that correlation, across streams (indexed: fast on a large log). ' +
      'On PostgreSQL that list does not wait for appends still settling, so it suits reading a story, not ' +
      `checkpointing a consumer. With \`Accept: ${CLOUDEVENT_BATCH_MEDIA_TYPE}\` the same events as CloudEvents 1.0, ` +
      'as on the broker.',
  })
  @ApiProduces('application/json', CLOUDEVENT_BATCH_MEDIA_TYPE)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(EventResponse) } } },
      [CLOUDEVENT_BATCH_MEDIA_TYPE]: { schema: { type: 'array', items: { $ref: getSchemaPath(CloudEventResponse) } } },
    },
  })
  @ApiProblemResponses(400, 503)
  async feed(
    @Query() { after = 0, limit = 100, correlationId }: EventFeedQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EventResponse[] | CloudEvent[]> {
    const events =
      correlationId === undefined
        ? await this.store.readAll(after, limit)
        : await this.correlated.read(correlationId, after, limit);
    response.vary('Accept');
    if (request.accepts(['application/json', CLOUDEVENT_BATCH_MEDIA_TYPE]) === CLOUDEVENT_BATCH_MEDIA_TYPE) {
      response.type(`${CLOUDEVENT_BATCH_MEDIA_TYPE}; charset=utf-8`);
      return events.map((recorded) => toCloudEvent(recorded, this.registry, this.nats.source));
    }
    return events.map((recorded) => toEventView(recorded, this.registry));
  }

  @Get('live')
  @ApiOperation({
    summary: 'Server-Sent Events: each event as it is committed; `id:` is its position',
    description:
      'Reconnect with `Last-Event-ID: <position>` to resume without missing or repeating an event. ' +
      'At most LIVE_STREAMS_PER_CLIENT (default 10) open streams per client (token subject, else IP); ' +
      'a stream whose client takes nothing for LIVE_STREAM_STALL_MS (default 30 s) is ended.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The last position received; browsers send it by themselves when they reconnect',
  })
  @ApiOkResponse({
    description:
      'An endless text/event-stream; each `data:` is an event as in GET /events, or a CloudEvent with `?format=cloudevents`',
  })
  @ApiProblemResponses(
    400,
    TOO_MANY_LIVE_STREAMS,
    problemSample(
      503,
      'shutting-down',
      'The service is shutting down; reconnect (with Last-Event-ID) to resume',
      'Asked on a kept-alive connection while this instance shuts down; see Retry-After',
    ),
  )
  async stream(
    @Query() query: LiveEventsQuery,
    @LastEventId() lastEventId: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
  ): Promise<void> {
    let after = query.after;
    if (lastEventId !== undefined) {
      if (!/^\d{1,15}$/.test(lastEventId.trim())) {
        throw new RequestValidationFailed([{ field: 'Last-Event-ID', messages: ['Last-Event-ID must be a position'] }]);
      }
      after = Number(lastEventId.trim());
    }
    const release = this.slots.acquire(clientKey(request));
    try {
      await this.live.stream(after, response, query.format === 'cloudevents' ? 'cloudevents' : 'events');
    } finally {
      release();
    }
  }
}
