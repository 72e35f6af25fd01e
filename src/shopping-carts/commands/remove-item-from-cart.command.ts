import { Command } from '@nestjs/cqrs';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';

export class RemoveItemFromCart extends Command<CommandResult> {
  constructor(
    readonly cartId: string,
    readonly productId: string,
    /** Omitted: the whole line. */
    readonly quantity: number | undefined,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
