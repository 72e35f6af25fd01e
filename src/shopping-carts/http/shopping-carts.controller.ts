import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import type { CommandContext } from '../../event-sourcing/command-context';
import { AggregateIdPipe } from '../../http/aggregate-id.pipe';
import { EventResponse } from '../../http/event-response';
import { BoundedStringPipe } from '../../http/bounded-string.pipe';
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
import { ReadQuery } from '../../http/read-query.decorator';
import { lengthRule } from '../../http/code-point-length';
import {
  AggregateEventsQuery,
  AggregateReadQuery,
  EVENTS_PAGE_HEADERS,
  eventsPage,
  timeTravel,
} from '../../http/read-queries';
import { ApiCommandHeaders, CommandContextFrom } from '../../http/command-context.decorator';
import { VersionEtagInterceptor } from '../../http/version-etag.interceptor';
import { RequireRole, Role } from '../../auth/roles';
import { GetAggregateEvents } from '../../event-sourcing/history/get-aggregate-events.query';
import { AddItemToCart } from '../commands/add-item-to-cart.command';
import { CheckOutCart } from '../commands/check-out-cart.command';
import { ShoppingCart } from '../domain/shopping-cart.aggregate';
import {
  CartAlreadyCheckedOut,
  EmptyCartCannotBeCheckedOut,
  LineQuantityExceeded,
  MAX_QUANTITY,
  NotEnoughInCart,
  PriceRequired,
  ProductNotInCart,
} from '../domain/shopping-cart.errors';
import { OpenCart } from '../commands/open-cart.command';
import { RemoveItemFromCart } from '../commands/remove-item-from-cart.command';
import { GetCartAtVersion } from '../read-models/cart-history/get-cart-at-version.query';
import { CART_DETAILS } from '../read-models/cart-details/cart-details.projection';
import { GetCart } from '../read-models/cart-details/get-cart.query';
import { CUSTOMER_CARTS } from '../read-models/customer-carts/customer-carts.projection';
import { ListCustomerCarts } from '../read-models/customer-carts/list-customer-carts.query';
import { AddItemRequest, CustomerCartsQuery, OpenCartRequest, RemoveItemQuery } from './cart-requests';
import { CHECKOUT_EXAMPLES, CheckoutRequest, checkoutContactOf } from './checkout-request';
import { CartCommandResponse, CartResponse, CustomerCartResponse, EXAMPLE_CART_ID } from './cart-responses';

const toResponse = ({ aggregateId, version, position }: CommandResult): CartCommandResponse => ({
  cartId: aggregateId,
  version,
  position,
});

const CART_ID_PARAM = { name: 'cartId', format: 'uuid', description: 'The cart (a UUID)' } as const;
const cartIdPipe = new AggregateIdPipe(ShoppingCart);

const NO_SUCH_CART = notFound(
  new AggregateNotFound('ShoppingCart', EXAMPLE_CART_ID),
  'No such cart (or an id that is not a UUID)',
);
const CART_VERSION_PROBLEMS = versionProblems(`shopping-cart-${EXAMPLE_CART_ID}`);
const CHECKED_OUT = refused(new CartAlreadyCheckedOut(EXAMPLE_CART_ID));

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
  @ApiCreatedResponse({
    type: CartCommandResponse,
    description: 'Opened; Location names the cart, ETag its version',
    example: { cartId: EXAMPLE_CART_ID, version: 1, position: 41 },
  })
  @ApiProblemResponses(400, 413, 415, 422, 503)
  async open(
    @Body() body: OpenCartRequest,
    @CommandContextFrom() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CartCommandResponse> {
    const result = toResponse(
      await this.commands.execute(new OpenCart(randomUUID(), body.customerId, body.currency, context)),
    );
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
  @ApiProblemResponses(
    400,
    NO_SUCH_CART,
    ...CART_VERSION_PROBLEMS,
    413,
    415,
    422,
    refused(new PriceRequired('socks')),
    refused(new LineQuantityExceeded('socks', MAX_QUANTITY - 1, 2)),
    CHECKED_OUT,
    503,
  )
  async addItem(
    @Param('cartId', cartIdPipe) cartId: string,
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
  @ApiParam({ name: 'productId', description: `The product to remove: ${lengthRule(1, 100)}` })
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CartCommandResponse })
  @ApiProblemResponses(
    400,
    NO_SUCH_CART,
    ...CART_VERSION_PROBLEMS,
    422,
    refused(new ProductNotInCart('socks')),
    refused(new NotEnoughInCart('socks', 1, 2)),
    CHECKED_OUT,
    503,
  )
  async removeItem(
    @Param('cartId', cartIdPipe) cartId: string,
    @Param('productId', new BoundedStringPipe('productId', 100)) productId: string,
    @Query() query: RemoveItemQuery,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CartCommandResponse> {
    return toResponse(await this.commands.execute(new RemoveItemFromCart(cartId, productId, query.quantity, context)));
  }

  @Post(':cartId/checkout')
  @RequireRole(Role.CartsWrite)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check the cart out; it accepts no changes afterwards',
    description:
      'The body is optional: none for a cart that ships nowhere, `email` alone for a receipt, `email` and ' +
      "`shippingAddress` for a parcel. Both are the customer's personal data: stored encrypted, erasable " +
      'with `DELETE /customers/{customerId}/personal-data`, and never published to the broker.',
  })
  @ApiParam(CART_ID_PARAM)
  @ApiCommandHeaders()
  @ApiBody({ type: CheckoutRequest, required: false, examples: CHECKOUT_EXAMPLES })
  @ApiOkResponse({ type: CartCommandResponse })
  @ApiProblemResponses(
    400,
    NO_SUCH_CART,
    ...CART_VERSION_PROBLEMS,
    413,
    415,
    422,
    refused(new EmptyCartCannotBeCheckedOut(EXAMPLE_CART_ID)),
    CHECKED_OUT,
    503,
  )
  async checkOut(
    @Param('cartId', cartIdPipe) cartId: string,
    @Body() body: CheckoutRequest,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CartCommandResponse> {
    return toResponse(await this.commands.execute(new CheckOutCart(cartId, checkoutContactOf(body), context)));
  }

  @Get()
  @RequireRole(Role.Read)
  @ApiOperation({ summary: "A customer's carts, newest first" })
  @ApiOkResponse({ type: [CustomerCartResponse] })
  @ApiProblemResponses(400, 503, readModelBehind(CUSTOMER_CARTS))
  listForCustomer(@Query() query: CustomerCartsQuery): Promise<CustomerCartResponse[]> {
    return this.queries.execute(new ListCustomerCarts(query.customerId, query.consistentWith));
  }

  @Get(':cartId')
  @RequireRole(Role.Read)
  @ApiOperation({ summary: 'The cart, from its read model (or, with atVersion or asOf, rebuilt from its events)' })
  @ApiParam(CART_ID_PARAM)
  @ApiOkResponse({ type: CartResponse, description: 'The cart; ETag is its version' })
  @ApiProblemResponses(
    400,
    NO_SUCH_CART,
    notFound(new VersionNotFound('ShoppingCart', EXAMPLE_CART_ID, 5, 4), 'atVersion is past the current version'),
    notFound(
      new AggregateDidNotExistYet('ShoppingCart', EXAMPLE_CART_ID, new Date('2026-11-26T11:20:00.000Z')),
      'asOf is before its first event',
    ),
    503,
    readModelBehind(CART_DETAILS),
  )
  async get(
    @Param('cartId', cartIdPipe) cartId: string,
    @ReadQuery(AggregateReadQuery) query: Readonly<AggregateReadQuery>,
  ): Promise<CartResponse> {
    const travel = timeTravel(query);
    if (travel !== undefined) {
      const version =
        'atVersion' in travel
          ? travel.atVersion
          : await this.queries.execute(new GetVersionAsOf(ShoppingCart, cartId, travel.asOf));
      return this.queries.execute(new GetCartAtVersion(cartId, version));
    }
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
  @ApiProblemResponses(400, NO_SUCH_CART, 503)
  async events(
    @Param('cartId', cartIdPipe) cartId: string,
    @Query() { afterVersion, limit }: AggregateEventsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EventResponse[]> {
    const page = await this.queries.execute(new GetAggregateEvents(ShoppingCart, cartId, afterVersion, limit));
    return eventsPage(response, `/carts/${cartId}/events`, limit, page);
  }
}
