import { Type } from '@sinclair/typebox';
import { eventData } from '../event-schema';
import { EventType } from '../event-type';
import { PersonalData } from '../personal-data/personal-data';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** An event with personal fields, for testing the sealing without any feature module. */
@PersonalData<ContactRecorded>({ subject: 'customerId', fields: ['email', 'address'] })
@EventType(
  'personal-data-test.contact-recorded.v1',
  eventData({
    customerId: Type.String({ minLength: 1 }),
    email: nullable(Type.String()),
    address: nullable(eventData({ street: Type.String(), city: Type.String() })),
    note: Type.String(),
  }),
)
export class ContactRecorded {
  constructor(
    readonly customerId: string,
    readonly email: string | null,
    readonly address: { street: string; city: string } | null,
    readonly note: string,
  ) {}
}

/** The contact of a customer, with an email and street no other test data contains. */
export function contactOf(customerId: string, note = 'first contact'): ContactRecorded {
  return new ContactRecorded(
    customerId,
    `${customerId}@mail.example`,
    { street: `${customerId} Lane 7`, city: 'Ghent' },
    note,
  );
}
