import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PersonalDataExport, PersonalDataRecord } from '../../event-sourcing/personal-data/personal-data-export';
import { PersonalDataNotHeld } from '../../event-sourcing/personal-data/personal-data.errors';
import { ExportPersonalData } from './export-personal-data.query';

/** Reads the event log, not a read model: no read model may hold more than the log, and this must be all. */
@QueryHandler(ExportPersonalData)
export class ExportPersonalDataHandler implements IQueryHandler<ExportPersonalData> {
  constructor(private readonly personalData: PersonalDataExport) {}

  async execute({ customerId }: ExportPersonalData): Promise<PersonalDataRecord[]> {
    const records = await this.personalData.of(customerId);
    if (records.length === 0) throw new PersonalDataNotHeld(customerId);
    return records;
  }
}
