import { Controller, Get, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { RequireRole, Role } from '../../auth/roles';
import { EventStore } from '../../event-sourcing/event-store';
import { EventTypeRegistry } from '../../event-sourcing/event-type-registry';
import { toEventView } from '../../event-sourcing/history/event-view';
import { ApiProblemResponses } from '../../http/api-problem-responses.decorator';
import { EventResponse } from '../../http/event-response';
import { RequestValidationFailed } from '../../http/request-validation';
import { LiveEvents } from '../live-events';
import { EventFeedQuery, LiveEventsQuery } from './event-log-requests';
import { LastEventId } from './last-event-id.decorator';

/** The global event feed for external consumers: every stream, in the log's order (EventStore.readAll). */
@ApiTags('events')
@Controller('events')
@RequireRole(Role.Read)
export class EventsController {
  constructor(
    private readonly store: EventStore,
    private readonly registry: EventTypeRegistry,
    private readonly live: LiveEvents,
  ) {}

  @Get()
  @ApiOperation({ summary: "Events after a position, in the log's order (page with the last position you received)" })
  @ApiOkResponse({ type: [EventResponse] })
  @ApiProblemResponses(400, 503)
  async feed(@Query() { after = 0, limit = 100 }: EventFeedQuery): Promise<EventResponse[]> {
    const events = await this.store.readAll(after, limit);
    return events.map((recorded) => toEventView(recorded, this.registry));
  }

  @Sse('live')
  @ApiOperation({
    summary: 'Server-Sent Events: each event as it is committed; `id:` is its position',
    description: 'Reconnect with `Last-Event-ID: <position>` to resume without missing or repeating an event.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The last position received; browsers send it by themselves when they reconnect',
  })
  @ApiOkResponse({ description: 'An endless text/event-stream; each `data:` is an event as in GET /events' })
  @ApiProblemResponses(400)
  stream(@Query() query: LiveEventsQuery, @LastEventId() lastEventId?: string): Observable<MessageEvent> {
    let after = query.after;
    if (lastEventId !== undefined) {
      if (!/^\d{1,15}$/.test(lastEventId.trim())) {
        throw new RequestValidationFailed([{ field: 'Last-Event-ID', messages: ['Last-Event-ID must be a position'] }]);
      }
      after = Number(lastEventId.trim());
    }
    return this.live.after(after);
  }
}
