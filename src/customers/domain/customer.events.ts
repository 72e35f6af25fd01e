import { Type } from '@sinclair/typebox';
import { eventData } from '../../event-sourcing/event-schema';
import { EventType } from '../../event-sourcing/event-type';

/** The stream of a data subject's privacy requests: `customer-<customerId>`. */
export function customerStreamId(customerId: string): string {
  return `customer-${customerId}`;
}

/**
 * The subject's personal-data key was destroyed: everything encrypted under it reads as erased from now
 * on, and read models drop their plaintext copies when they see this. Public, so that other services
 * holding copies learn to forget too. Who asked is in `erasedBy` (and the metadata's actor), when is the
 * event's recorded time.
 */
@EventType(
  'customer.personal-data-erased.v1',
  eventData({
    customerId: Type.String({ minLength: 1, examples: ['customer-42'] }),
    reason: Type.String({ minLength: 1, maxLength: 500, examples: ['Erasure request by e-mail, ticket 4711'] }),
    erasedBy: Type.String({ minLength: 1, description: 'The caller who asked', examples: ['dpo@example.com'] }),
  }),
  { public: true },
)
export class CustomerPersonalDataErased {
  constructor(
    readonly customerId: string,
    readonly reason: string,
    readonly erasedBy: string,
  ) {}
}
