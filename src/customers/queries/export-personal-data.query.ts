import { Query } from '@nestjs/cqrs';
import type { PersonalDataRecord } from '../../event-sourcing/personal-data/personal-data-export';

/** Every personal field held for the customer, opened (GDPR articles 15 and 20). */
export class ExportPersonalData extends Query<PersonalDataRecord[]> {
  constructor(readonly customerId: string) {
    super();
  }
}
