import { Command } from '@nestjs/cqrs';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';

export class OpenCart extends Command<CommandResult> {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
