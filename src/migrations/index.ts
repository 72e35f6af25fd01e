import { CreateEventStore1764150000000 } from './1764150000000-create-event-store';
import { CreateShoppingCartReadModels1764150001000 } from './1764150001000-create-shopping-cart-read-models';
import { CreateParkedEvents1764150002000 } from './1764150002000-create-parked-events';
import { CreateOrderReadModels1764150003000 } from './1764150003000-create-order-read-models';
import { AddEventHashes1764150004000 } from './1764150004000-add-event-hashes';
import { CreateSnapshots1764150005000 } from './1764150005000-create-snapshots';
import { ScopeIdempotencyKeys1764150006000 } from './1764150006000-scope-idempotency-keys';
import { AddEventTransactionIds1764150007000 } from './1764150007000-add-event-transaction-ids';
import { AddCurrencies1764150008000 } from './1764150008000-add-currencies';
import { CreateParkedMessages1764150013000 } from './1764150013000-create-parked-messages';
import { IndexEventCorrelationIds1764150015000 } from './1764150015000-index-event-correlation-ids';
import { CreateRateLimits1764150020000 } from './1764150020000-create-rate-limits';
import { CreateIntegrityChecks1764150021000 } from './1764150021000-create-integrity-checks';
import { CreatePersonalDataKeys1764150030000 } from './1764150030000-create-personal-data-keys';
import { AddOrderContacts1764150040000 } from './1764150040000-add-order-contacts';

/** Every migration, oldest first. Listed rather than globbed so the build and the tests see the same set. */
export const migrations = [
  CreateEventStore1764150000000,
  CreateShoppingCartReadModels1764150001000,
  CreateParkedEvents1764150002000,
  CreateOrderReadModels1764150003000,
  AddEventHashes1764150004000,
  CreateSnapshots1764150005000,
  ScopeIdempotencyKeys1764150006000,
  AddEventTransactionIds1764150007000,
  AddCurrencies1764150008000,
  CreateParkedMessages1764150013000,
  IndexEventCorrelationIds1764150015000,
  CreateRateLimits1764150020000,
  CreateIntegrityChecks1764150021000,
  CreatePersonalDataKeys1764150030000,
  AddOrderContacts1764150040000,
];
