import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';

export class PayOrder extends Command<CommandResult> {
  constructor(
    readonly orderId: string,
    readonly amountCents: number,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
