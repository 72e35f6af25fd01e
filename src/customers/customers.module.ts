import { Module } from '@nestjs/common';
import { PersonalDataExport } from '../event-sourcing/personal-data/personal-data-export';
import { ErasePersonalDataHandler } from './commands/erase-personal-data.handler';
import { CustomersController } from './http/customers.controller';
import { ExportPersonalDataHandler } from './queries/export-personal-data.handler';

const commandHandlers = [ErasePersonalDataHandler];
const queryHandlers = [ExportPersonalDataHandler];

/** Data subjects' rights: export and erasure of the personal data the event log holds for a customer. */
@Module({
  controllers: [CustomersController],
  providers: [...commandHandlers, ...queryHandlers, PersonalDataExport],
})
export class CustomersModule {}
