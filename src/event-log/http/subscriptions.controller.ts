import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RequireRole, Role } from '../../auth/roles';
import { EventStore } from '../../event-sourcing/event-store';
import { SubscriptionRunner } from '../../event-sourcing/subscriptions/subscription-runner';
import { SubscriptionStore } from '../../event-sourcing/typeorm/subscription-store';
import { ApiProblemResponses, notFound, problemSample } from '../../http/api-problem-responses.decorator';
import { Inbox } from '../../integration/inbox/inbox';
import { ParkedMessages } from '../../integration/inbox/parked-messages';
import {
  ParkedEventNotFound,
  ParkedRetryFailed,
  SubscriptionNotFound,
  SubscriptionNotRebuildable,
} from '../../event-sourcing/subscriptions/subscription.errors';
import { RebuildResponse, SubscriptionResponse } from './subscription-responses';

const NO_SUCH_SUBSCRIPTION = notFound(new SubscriptionNotFound('carts'), 'No subscription has this name');

/** Operators' view of projections and sagas: checkpoints, lag, parked events, rebuilds and retries. */
@ApiTags('subscriptions')
@Controller('subscriptions')
@RequireRole(Role.Admin)
export class SubscriptionsController {
  constructor(
    private readonly runner: SubscriptionRunner,
    private readonly checkpoints: SubscriptionStore,
    private readonly store: EventStore,
    private readonly inbox: Inbox,
    private readonly parkedMessages: ParkedMessages,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every projection, saga and relay with its checkpoint, lag and parked events, then the inbound consumers',
    description:
      "An inbound consumer's (`kind: inbox`) checkpoint, head and parked positions are sequences in its JetStream stream",
  })
  @ApiOkResponse({ type: [SubscriptionResponse] })
  @ApiProblemResponses(503)
  async list(): Promise<SubscriptionResponse[]> {
    // Parked events first: an event is parked in the transaction that moves the checkpoint past it, so
    // checkpoints read after them never show an event parked but not yet passed.
    const parked = await this.checkpoints.parked();
    const [statuses, headPosition] = await Promise.all([this.runner.status(), this.store.headPosition()]);
    const subscriptions = statuses.map((status) => ({
      ...status,
      headPosition,
      lag: Math.max(0, headPosition - status.checkpoint),
      parked: parked
        .filter((entry) => entry.subscription === status.name)
        .map(({ subscription: _subscription, parkedAt, ...entry }) => ({ ...entry, parkedAt: parkedAt.toISOString() })),
    }));
    if (this.inbox.names().length === 0) return subscriptions;
    const [messages, consumers] = await Promise.all([this.parkedMessages.list(), this.inbox.status()]);
    return [
      ...subscriptions,
      ...consumers.map((consumer) => ({
        ...consumer,
        kind: 'inbox' as const,
        paused: false,
        leader: true,
        parked: messages
          .filter((message) => message.consumer === consumer.name)
          .map((message) => ({
            position: message.sequence,
            eventId: message.messageId ?? '',
            type: message.type ?? '',
            error: message.error,
            attempts: message.attempts,
            parkedAt: message.parkedAt.toISOString(),
          })),
      })),
    ];
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a projection from position 0 while the service keeps answering',
    description: 'Empties its tables and resets its checkpoint in one transaction, then catches up in the background.',
  })
  @ApiAcceptedResponse({ type: RebuildResponse })
  @ApiProblemResponses(
    NO_SUCH_SUBSCRIPTION,
    problemSample(
      409,
      'not-rebuildable',
      new SubscriptionNotRebuildable('checkout-saga').message,
      'A saga cannot be rebuilt: that would send its commands again',
    ),
    503,
  )
  async rebuild(@Param('name') name: string): Promise<RebuildResponse> {
    await this.runner.rebuild(name);
    return { name, checkpoint: 0 };
  }

  @Post(':name/parked/:position/retry')
  @HttpCode(204)
  @ApiOperation({
    summary:
      "Send a parked event's commands again (or handle a parked inbound message again); on success it is no longer parked",
  })
  @ApiNoContentResponse({ description: 'The retry succeeded' })
  @ApiParam({
    name: 'position',
    schema: { type: 'integer', minimum: 1 },
    description: "The parked event's global position (an inbound message's stream sequence)",
  })
  @ApiProblemResponses(
    problemSample(400, 'bad-request', 'Validation failed (numeric string is expected)', 'position is not a number'),
    NO_SUCH_SUBSCRIPTION,
    notFound(new ParkedEventNotFound('checkout-saga', 57), 'The subscription has no event parked at this position'),
    problemSample(
      409,
      'retry-failed',
      new ParkedRetryFailed('checkout-saga', 57, 'Error: payment service unavailable').message,
      'The retry failed again; the event stays parked',
    ),
    503,
  )
  async retry(@Param('name') name: string, @Param('position', ParseIntPipe) position: number): Promise<void> {
    if (this.inbox.has(name)) await this.inbox.retryParked(name, position);
    else await this.runner.retryParked(name, position);
  }
}
