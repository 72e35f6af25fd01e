import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import type { CommandContext } from '../../event-sourcing/command-context';
import { RequireRole, Role } from '../../auth/roles';
import { GetAggregateEvents } from '../../event-sourcing/history/get-aggregate-events.query';
import { AggregateIdPipe } from '../../http/aggregate-id.pipe';
import {
  ApiProblemResponses,
  notFound,
  readModelBehind,
  refused,
  versionProblems,
} from '../../http/api-problem-responses.decorator';
import {
  AggregateDidNotExistYet,
  AggregateNotFound,
  VersionNotFound,
} from '../../event-sourcing/event-sourcing.errors';
import { GetVersionAsOf } from '../../event-sourcing/history/get-version-as-of.query';
import { ApiCommandHeaders, CommandContextFrom } from '../../http/command-context.decorator';
import { EventResponse } from '../../http/event-response';
import { ReadQuery } from '../../http/read-query.decorator';
import {
  AggregateEventsQuery,
  AggregateReadQuery,
  EVENTS_PAGE_HEADERS,
  eventsPage,
  timeTravel,
} from '../../http/read-queries';
import { RequestValidationFailed } from '../../http/request-validation';
import { VersionEtagInterceptor } from '../../http/version-etag.interceptor';
import { CancelOrder } from '../commands/cancel-order.command';
import { PayOrder } from '../commands/pay-order.command';
import { ShipOrder } from '../commands/ship-order.command';
import { Order } from '../domain/order.aggregate';
import {
  OrderAlreadyPaid,
  OrderAlreadyShipped,
  OrderCancelledAlready,
  OrderNotPaid,
  PaymentDoesNotMatchTotal,
} from '../domain/order.errors';
import { GetOrder } from '../read-models/order-details/get-order.query';
import { ORDER_DETAILS } from '../read-models/order-details/order-details.projection';
import { ListOrders } from '../read-models/order-details/list-orders.query';
import { GetOrderAtVersion } from '../read-models/order-history/get-order-at-version.query';
import { CancelOrderRequest, ListOrdersQuery, PayOrderRequest } from './order-requests';
import { EXAMPLE_ORDER_ID, OrderCommandResponse, OrderResponse } from './order-responses';

const toResponse = ({ aggregateId, version, position }: CommandResult): OrderCommandResponse => ({
  orderId: aggregateId,
  version,
  position,
});

const ORDER_ID_PARAM = { name: 'orderId', format: 'uuid', description: 'The order (a UUID)' } as const;
const orderIdPipe = new AggregateIdPipe(Order);

const NO_SUCH_ORDER = notFound(
  new AggregateNotFound('Order', EXAMPLE_ORDER_ID),
  'No such order (or an id that is not a UUID)',
);
const ORDER_VERSION_PROBLEMS = versionProblems(`order-${EXAMPLE_ORDER_ID}`);
const CANCELLED = refused(new OrderCancelledAlready(EXAMPLE_ORDER_ID));
const SHIPPED = refused(new OrderAlreadyShipped(EXAMPLE_ORDER_ID));

/** Orders are placed by the checkout saga when a cart is checked out; clients pay, ship or cancel them. */
@ApiTags('orders')
@Controller('orders')
@UseInterceptors(VersionEtagInterceptor)
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post(':orderId/payments')
  @RequireRole(Role.OrdersWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Pay the order in full (the amount must equal its total)' })
  @ApiParam(ORDER_ID_PARAM)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: OrderCommandResponse })
  @ApiProblemResponses(
    400,
    NO_SUCH_ORDER,
    ...ORDER_VERSION_PROBLEMS,
    413,
    415,
    422,
    refused(new PaymentDoesNotMatchTotal(10_000, 9998)),
    refused(new OrderAlreadyPaid(EXAMPLE_ORDER_ID)),
    CANCELLED,
    503,
  )
  async pay(
    @Param('orderId', orderIdPipe) orderId: string,
    @Body() body: PayOrderRequest,
    @CommandContextFrom() context: CommandContext,
  ): Promise<OrderCommandResponse> {
    return toResponse(await this.commands.execute(new PayOrder(orderId, body.amountCents, context)));
  }

  @Post(':orderId/shipment')
  @RequireRole(Role.OrdersWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Ship a paid order' })
  @ApiParam(ORDER_ID_PARAM)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: OrderCommandResponse })
  @ApiProblemResponses(
    400,
    NO_SUCH_ORDER,
    ...ORDER_VERSION_PROBLEMS,
    422,
    refused(new OrderNotPaid(EXAMPLE_ORDER_ID)),
    SHIPPED,
    CANCELLED,
    503,
  )
  async ship(
    @Param('orderId', orderIdPipe) orderId: string,
    @CommandContextFrom() context: CommandContext,
  ): Promise<OrderCommandResponse> {
    return toResponse(await this.commands.execute(new ShipOrder(orderId, context)));
  }

  @Post(':orderId/cancellation')
  @RequireRole(Role.OrdersWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an order that has not shipped' })
  @ApiParam(ORDER_ID_PARAM)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: OrderCommandResponse })
  @ApiProblemResponses(400, NO_SUCH_ORDER, ...ORDER_VERSION_PROBLEMS, 413, 415, 422, SHIPPED, CANCELLED, 503)
  async cancel(
    @Param('orderId', orderIdPipe) orderId: string,
    @Body() body: CancelOrderRequest,
    @CommandContextFrom() context: CommandContext,
  ): Promise<OrderCommandResponse> {
    return toResponse(await this.commands.execute(new CancelOrder(orderId, body.reason, context)));
  }

  @Get()
  @RequireRole(Role.Read)
  @ApiOperation({ summary: "A customer's orders, or a cart's order, newest first (give customerId or cartId)" })
  @ApiOkResponse({ type: [OrderResponse] })
  @ApiProblemResponses(400, 503, readModelBehind(ORDER_DETAILS))
  list(@Query() query: ListOrdersQuery): Promise<OrderResponse[]> {
    const { customerId, cartId, consistentWith } = query;
    if (customerId === undefined && cartId === undefined) {
      throw new RequestValidationFailed([{ field: 'customerId', messages: ['customerId or cartId is required'] }]);
    }
    const filter = { ...(customerId === undefined ? {} : { customerId }), ...(cartId === undefined ? {} : { cartId }) };
    return this.queries.execute(new ListOrders(filter, consistentWith));
  }

  @Get(':orderId')
  @RequireRole(Role.Read)
  @ApiOperation({ summary: 'The order, from its read model (or, with atVersion or asOf, rebuilt from its events)' })
  @ApiParam(ORDER_ID_PARAM)
  @ApiOkResponse({ type: OrderResponse, description: 'The order; ETag is its version' })
  @ApiProblemResponses(
    400,
    NO_SUCH_ORDER,
    notFound(new VersionNotFound('Order', EXAMPLE_ORDER_ID, 5, 4), 'atVersion is past the current version'),
    notFound(
      new AggregateDidNotExistYet('Order', EXAMPLE_ORDER_ID, new Date('2026-11-26T11:20:00.000Z')),
      'asOf is before its first event',
    ),
    503,
    readModelBehind(ORDER_DETAILS),
  )
  async get(
    @Param('orderId', orderIdPipe) orderId: string,
    @ReadQuery(AggregateReadQuery) query: Readonly<AggregateReadQuery>,
  ): Promise<OrderResponse> {
    const travel = timeTravel(query);
    if (travel !== undefined) {
      const version =
        'atVersion' in travel
          ? travel.atVersion
          : await this.queries.execute(new GetVersionAsOf(Order, orderId, travel.asOf));
      return this.queries.execute(new GetOrderAtVersion(orderId, version));
    }
    return this.queries.execute(new GetOrder(orderId, query.consistentWith));
  }

  @Get(':orderId/events')
  @RequireRole(Role.Read)
  @ApiOperation({
    summary: "The order's events, oldest first, a page at a time",
    description: 'Page with `afterVersion` = the `version` of the last event you have, or follow the Link header.',
  })
  @ApiParam(ORDER_ID_PARAM)
  @ApiOkResponse({ type: [EventResponse], headers: EVENTS_PAGE_HEADERS })
  @ApiProblemResponses(400, NO_SUCH_ORDER, 503)
  async events(
    @Param('orderId', orderIdPipe) orderId: string,
    @Query() { afterVersion, limit }: AggregateEventsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EventResponse[]> {
    const page = await this.queries.execute(new GetAggregateEvents(Order, orderId, afterVersion, limit));
    return eventsPage(response, `/orders/${orderId}/events`, limit, page);
  }
}
