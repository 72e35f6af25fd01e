import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { natsConfig } from '../../config/nats.config';
import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';
import { AggregateNotFound, IdempotencyKeyReused } from '../../event-sourcing/event-sourcing.errors';
import { InboundCloudEvent, inboundCommandContext, PoisonMessage } from '../../integration/inbox/inbound-cloud-event';
import { InboundHandler, InboundHandlerOf } from '../../integration/inbox/inbound-handler';
import { PayOrder } from '../commands/pay-order.command';

export const PAYMENTS_CONSUMER = 'ledgerline-payments';
export const PAYMENT_CAPTURED = 'payment.captured.v1';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PaymentCaptured {
  orderId: string;
  amountCents: number;
  paymentId: string;
}

/** The data of a `payment.captured.v1` CloudEvent, or why it is not one. */
function paymentCaptured(data: unknown): PaymentCaptured {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof fields.orderId !== 'string' || !UUID.test(fields.orderId)) problems.push('orderId must be a UUID');
  if (!Number.isSafeInteger(fields.amountCents) || (fields.amountCents as number) < 1) {
    problems.push('amountCents must be a positive integer');
  }
  if (typeof fields.paymentId !== 'string' || fields.paymentId === '' || fields.paymentId.length > 200) {
    problems.push('paymentId must be a string of 1 to 200 characters');
  }
  if (problems.length > 0) throw new PoisonMessage(`Invalid ${PAYMENT_CAPTURED} data: ${problems.join('; ')}`);
  return {
    orderId: fields.orderId as string,
    amountCents: fields.amountCents as number,
    paymentId: fields.paymentId as string,
  };
}

/**
 * The orders context's inbound adapter for the payment service: a captured payment pays its order, once.
 * The command's Idempotency-Key derives from the CloudEvent, so a redelivered or republished message
 * appends nothing more. A payment the order refuses (unknown order, wrong amount, already paid,
 * cancelled) can never succeed and is parked; anything else (the database busy) is retried.
 */
@Injectable()
@InboundHandlerOf({ consumer: PAYMENTS_CONSUMER })
export class PaymentCapturedHandler implements InboundHandler {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(natsConfig.KEY) private readonly config: ConfigType<typeof natsConfig>,
  ) {}

  get binding(): { stream: string; subject: string } {
    return { stream: this.config.paymentsStream, subject: `${this.config.paymentsSubjectPrefix}.captured` };
  }

  async handle(event: InboundCloudEvent): Promise<void> {
    if (event.type !== PAYMENT_CAPTURED) {
      throw new PoisonMessage(`Expected a CloudEvent of type ${PAYMENT_CAPTURED}, not ${event.type}`);
    }
    const payment = paymentCaptured(event.data);
    const context = inboundCommandContext(PAYMENTS_CONSUMER, event, JSON.stringify(payment));
    try {
      await this.commandBus.execute(new PayOrder(payment.orderId, payment.amountCents, context));
    } catch (error) {
      if (
        error instanceof DomainRuleViolation ||
        error instanceof AggregateNotFound ||
        error instanceof IdempotencyKeyReused
      ) {
        throw new PoisonMessage(`${error.name}: ${error.message}`);
      }
      throw error;
    }
  }
}
