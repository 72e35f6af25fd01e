import { Command } from '@nestjs/cqrs';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';

export class AddItemToCart extends Command<CommandResult> {
  constructor(
    readonly cartId: string,
    readonly productId: string,
    readonly quantity: number,
    /** Omitted: the line keeps the price it has. */
    readonly unitPriceCents: number | undefined,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
