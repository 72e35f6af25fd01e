import { Command } from '@nestjs/cqrs';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';
import { CheckoutContact, NO_CONTACT } from '../domain/checkout-contact';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';

export class CheckOutCart extends Command<CommandResult> {
  constructor(
    readonly cartId: string,
    /** Personal data for the order; none for a cart that ships nowhere. */
    readonly contact: CheckoutContact = NO_CONTACT,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
