import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';
import { CheckoutContact, NO_CONTACT } from '../../shopping-carts/domain/checkout-contact';
import type { OrderLine } from '../domain/order.events';

export class PlaceOrder extends Command<CommandResult> {
  constructor(
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: OrderLine[],
    readonly totalCents: number,
    readonly currency: string,
    readonly contact: CheckoutContact = NO_CONTACT,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
