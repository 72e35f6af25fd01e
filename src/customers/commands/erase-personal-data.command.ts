import { Command } from '@nestjs/cqrs';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';

export interface ErasureResult {
  customerId: string;
  /** The position of the `customer.personal-data-erased.v1` event. */
  position: number;
}

/** Destroy the customer's personal-data key (GDPR article 17): everything sealed under it reads as erased. */
export class ErasePersonalData extends Command<ErasureResult> {
  constructor(
    readonly customerId: string,
    readonly reason: string,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
