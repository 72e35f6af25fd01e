import { Injectable } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import type { RecordedEvent } from '../../event-sourcing/event-store';
import { causedBy, ofRecordedType, Saga, SagaOf } from '../../event-sourcing/subscriptions/saga';
import { CartCheckedOut } from '../../shopping-carts/domain/shopping-cart.events';
import { PlaceOrder } from '../commands/place-order.command';

export const CHECKOUT_SAGA = 'checkout-saga';

/**
 * Cart checked out → place its order. Runs on its own checkpointed subscription; the PlaceOrder it
 * sends is idempotent twice over (its Idempotency-Key derives from the checkout event, in the saga's
 * own scope, and the order id from the cart), so redelivery after a crash places the order exactly once.
 */
@Injectable()
@SagaOf({ name: CHECKOUT_SAGA })
export class CheckoutSaga implements Saga {
  react(events$: Observable<RecordedEvent>): Observable<PlaceOrder> {
    return events$.pipe(
      ofRecordedType(CartCheckedOut),
      map((recorded) => {
        const { cartId, customerId, lines, totalCents, currency, email, shippingAddress } = recorded.event;
        // An erased checkout reads both as null, so a late order carries no personal data either.
        return new PlaceOrder(
          cartId,
          customerId,
          lines,
          totalCents,
          currency,
          { email, shippingAddress },
          causedBy(CHECKOUT_SAGA, recorded),
        );
      }),
    );
  }
}
