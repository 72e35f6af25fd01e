import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { NO_STREAM, EventStore, RecordedEvent } from '../../event-sourcing/event-store';
import { SagaReactor } from '../../event-sourcing/subscriptions/saga-reactor';
import { createEventSourcingTestModule } from '../../event-sourcing/testing/event-sourcing-test-module';
import { SubscriptionStore } from '../../event-sourcing/typeorm/subscription-store';
import { CartCheckedOut } from '../../shopping-carts/domain/shopping-cart.events';
import { ShoppingCartsModule } from '../../shopping-carts/shopping-carts.module';
import { Order } from '../domain/order.aggregate';
import { OrderPlaced } from '../domain/order.events';
import { OrdersModule } from '../orders.module';
import { CHECKOUT_SAGA, CheckoutSaga } from './checkout.saga';

describe('the checkout saga', () => {
  let close: () => Promise<void>;
  let store: EventStore;
  let reactor: SagaReactor;
  let saga: CheckoutSaga;
  let subscriptions: SubscriptionStore;

  beforeEach(async () => {
    // Paused, so this spec decides when and how often each event is delivered.
    const test = await createEventSourcingTestModule(
      { imports: [ShoppingCartsModule, OrdersModule] },
      { pausedSubscriptions: [CHECKOUT_SAGA] },
    );
    close = test.close;
    store = test.module.get(EventStore);
    reactor = test.module.get(SagaReactor);
    saga = test.module.get(CheckoutSaga);
    subscriptions = test.module.get(SubscriptionStore);
  });
  afterEach(() => close());

  const address = { name: 'Ann', line1: '1 Main Street', postalCode: 'SW1A 1AA', city: 'London', country: 'GB' };

  async function checkedOut(
    lines = [{ productId: 'shoes', quantity: 2, unitPriceCents: 5000 }],
    email: string | null = 'ann@example.com',
  ): Promise<RecordedEvent> {
    const cartId = randomUUID();
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
    await store.append(
      `shopping-cart-${cartId}`,
      NO_STREAM,
      [new CartCheckedOut(cartId, 'ann', lines, total, 'GBP', email, email === null ? null : address)],
      {
        metadata: {
          correlationId: 'checkout-correlation',
          commandId: 'checkout-command',
          causationId: 'checkout-command',
        },
      },
    );
    const [recorded] = await store.readStream(`shopping-cart-${cartId}`);
    return recorded!;
  }

  const deliver = async (event: RecordedEvent) =>
    (await reactor.handleBatch(CHECKOUT_SAGA, saga, [event], () => false)).handled;

  it('places the order of a checked-out cart, traced to the checkout, with its contact', async () => {
    const checkout = await checkedOut();
    await deliver(checkout);
    const { cartId } = checkout.event as CartCheckedOut;
    const [placed, ...rest] = await store.readStream(`order-${Order.idForCart(cartId)}`);
    expect(rest).toEqual([]);
    expect(placed!.event).toEqual(
      new OrderPlaced(
        Order.idForCart(cartId),
        cartId,
        'ann',
        [{ productId: 'shoes', quantity: 2, unitPriceCents: 5000 }],
        10_000,
        'GBP',
        'ann@example.com',
        address,
      ),
    );
    expect(placed!.metadata).toMatchObject({ correlationId: 'checkout-correlation', causationId: checkout.eventId });
    expect(placed!.metadata.commandId).toEqual(expect.any(String));
  });

  it('places the order of a checkout without a contact without one', async () => {
    const checkout = await checkedOut(undefined, null);
    await deliver(checkout);
    const { cartId } = checkout.event as CartCheckedOut;
    const [placed] = await store.readStream(`order-${Order.idForCart(cartId)}`);
    expect(placed!.event).toMatchObject({ email: null, shippingAddress: null });
  });

  it('has no second effect when the same event is delivered twice, in turn or at once', async () => {
    const checkout = await checkedOut();
    await deliver(checkout);
    await deliver(checkout);
    await Promise.all([deliver(checkout), deliver(checkout), deliver(checkout)]);
    const { cartId } = checkout.event as CartCheckedOut;
    expect(await store.readStream(`order-${Order.idForCart(cartId)}`)).toHaveLength(1);
    const orders = (await store.readAll(0, 1000)).filter((event) => event.event instanceof OrderPlaced);
    expect(orders).toHaveLength(1);
  });

  it('parks a checkout whose order is refused, and moves its checkpoint past it', async () => {
    const broken = await checkedOut([]);
    expect(await deliver(broken)).toBe(broken);
    const [parked] = await subscriptions.parked(CHECKOUT_SAGA);
    expect(parked).toMatchObject({ position: broken.position, eventId: broken.eventId, attempts: 3 });
    expect(parked!.error).toContain('EmptyOrder');
    expect(await subscriptions.checkpoint(CHECKOUT_SAGA)).toBe(broken.position);
  });
});
