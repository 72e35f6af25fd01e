import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import type { CommandContext } from '../../event-sourcing/command-context';
import { AggregateIdPipe } from '../../http/aggregate-id.pipe';
import { EventResponse } from '../../http/event-response';
import { BoundedStringPipe } from '../../http/bounded-string.pipe';
import { ApiProblemResponses } from '../../http/api-problem-responses.decorator';
import { AggregateEventsQuery, AggregateReadQuery, EVENTS_PAGE_HEADERS, eventsPage } from '../../http/read-queries';
import { ApiCommandHeaders, CommandContextFrom } from '../../http/command-context.decorator';
import { VersionEtagInterceptor } from '../../http/version-etag.interceptor';
import { RequireRole, Role } from '../../auth/roles';
import { GetAggregateEvents } from '../../event-sourcing/history/get-aggregate-events.query';
import { AddItemToCart } from '../commands/add-item-to-cart.command';
import { CheckOutCart } from '../commands/check-out-cart.command';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import { OpenCart } from '../commands/open-cart.command';
import { RemoveItemFromCart } from '../commands/remove-item-from-cart.command';
import { GetCartAtVersion } from '../read-models/cart-history/get-cart-at-version.query';
import { GetCart } from '../read-models/cart-details/get-cart.query';
import { ListCustomerCarts } from '../read-models/customer-carts/list-customer-carts.query';
import { AddItemRequest, CustomerCartsQuery, OpenCartRequest, RemoveItemQuery } from './cart-requests';
import { CartCommandResponse, CartResponse, CustomerCartResponse } from './cart-responses';

const toResponse = ({ aggregateId, version, position }: CommandResult): CartCommandResponse => ({
  cartId: aggregateId,
  version,
  position,
});

const CART_ID_PARAM = { name: 'cartId', format: 'uuid', description: 'The cart (a UUID)' } as const;

@ApiTags('carts')
@Controller('carts')
@UseInterceptors(VersionEtagInterceptor)
export class ShoppingCartsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequireRole(Role.CartsWrite)
  @ApiOperation({ summary: 'Open a cart for a customer' })
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CartCommandResponse, description: 'Opened; Location names the cart, ETag its version' })
  @ApiProblemResponses(400, 413, 422)
  async open(
    @Body() body: OpenCartRequest,
    @CommandContextFrom() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CartCommandResponse> {
    const result = toResponse(await this.commands.execute(new OpenCart(randomUUID(), body.customerId, context)));
    response.location(`/carts/${result.cartId}`);
    return result;
  }

  @Post(':cartId/items')
  @RequireRole(Role.CartsWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a quantity of a product to the cart' })
  @ApiParam(CART_ID_PARAM)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CartCommandResponse })
  @ApiProblemResponses(400, 404, 409, 412, 413, 422)
  async addItem(
    @Param('cartId', AggregateIdPipe) cartId: string,
    @Body() body: AddItemRequest,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CartCommandResponse> {
    return toResponse(
      await this.commands.execute(
        new AddItemToCart(cartId, body.productId, body.quantity, body.unitPriceCents, context),
      ),
    );
  }

  @Delete(':cartId/items/:productId')
  @RequireRole(Role.CartsWrite)
  @ApiOperation({ summary: 'Remove a quantity of a product (default: its whole line)' })
  @ApiParam(CART_ID_PARAM)
  @ApiParam({ name: 'productId', description: 'The product to remove' })
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CartCommandResponse })
  @ApiProblemResponses(400, 404, 409, 412, 422)
  async removeItem(
    @Param('cartId', AggregateIdPipe) cartId: string,
    @Param('productId', new BoundedStringPipe('productId', 100)) productId: string,
    @Query() query: RemoveItemQuery,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CartCommandResponse> {
    return toResponse(await this.commands.execute(new RemoveItemFromCart(cartId, productId, query.quantity, context)));
  }

  @Post(':cartId/checkout')
  @RequireRole(Role.CartsWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the cart out; it accepts no changes afterwards' })
  @ApiParam(CART_ID_PARAM)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CartCommandResponse })
  @ApiProblemResponses(400, 404, 409, 412, 422)
  async checkOut(
    @Param('cartId', AggregateIdPipe) cartId: string,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CartCommandResponse> {
    return toResponse(await this.commands.execute(new CheckOutCart(cartId, context)));
  }

  @Get()
  @RequireRole(Role.Read)
  @ApiOperation({ summary: "A customer's carts, newest first" })
  @ApiOkResponse({ type: [CustomerCartResponse] })
  @ApiProblemResponses(400, 503)
  listForCustomer(@Query() query: CustomerCartsQuery): Promise<CustomerCartResponse[]> {
    return this.queries.execute(new ListCustomerCarts(query.customerId, query.consistentWith));
  }

  @Get(':cartId')
  @RequireRole(Role.Read)
  @ApiOperation({ summary: 'The cart, from its read model (or, with atVersion, rebuilt from its events)' })
  @ApiParam(CART_ID_PARAM)
  @ApiOkResponse({ type: CartResponse, description: 'The cart; ETag is its version' })
  @ApiProblemResponses(400, 404, 503)
  get(@Param('cartId', AggregateIdPipe) cartId: string, @Query() query: AggregateReadQuery): Promise<CartResponse> {
    if (query.atVersion !== undefined) return this.queries.execute(new GetCartAtVersion(cartId, query.atVersion));
    return this.queries.execute(new GetCart(cartId, query.consistentWith));
  }

  @Get(':cartId/events')
  @RequireRole(Role.Read)
  @ApiOperation({
    summary: "The cart's events, oldest first, a page at a time",
    description: 'Page with `afterVersion` = the `version` of the last event you have, or follow the Link header.',
  })
  @ApiParam(CART_ID_PARAM)
  @ApiOkResponse({ type: [EventResponse], headers: EVENTS_PAGE_HEADERS })
  @ApiProblemResponses(400, 404)
  async events(
    @Param('cartId', AggregateIdPipe) cartId: string,
    @Query() { afterVersion, limit }: AggregateEventsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EventResponse[]> {
    const page = await this.queries.execute(new GetAggregateEvents(ShoppingCart, cartId, afterVersion, limit));
    return eventsPage(response, `/carts/${cartId}/events`, limit, page);
  }
}
