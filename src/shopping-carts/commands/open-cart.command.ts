import { Command } from '@nestjs/cqrs';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import { Currency, DEFAULT_CURRENCY } from '../domain/currency';

export class OpenCart extends Command<CommandResult> {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly currency: Currency = DEFAULT_CURRENCY,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
