import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { Static, TSchema, Type } from '@sinclair/typebox';
import { TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { natsConfig } from '../../config/nats.config';
import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';
import { AggregateNotFound, IdempotencyKeyReused } from '../../event-sourcing/event-sourcing.errors';
import { InboundCloudEvent, inboundCommandContext, PoisonMessage } from '../../integration/inbox/inbound-cloud-event';
import { InboundHandler, InboundHandlerOf } from '../../integration/inbox/inbound-handler';
import { PayOrder } from '../commands/pay-order.command';

export const PAYMENTS_CONSUMER = 'ledgerline-payments';
export const PAYMENT_CAPTURED = 'payment.captured.v1';

/**
 * The data of a `payment.captured.v1` CloudEvent, as the payment service publishes it; fields it adds
 * later are ignored. The checks below use it, and the event catalog shows it.
 */
export const PAYMENT_CAPTURED_DATA = Type.Object(
  {
    orderId: Type.String({
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      description: 'The order paid for (a UUID)',
      examples: ['8a0f6d2c-1b3e-5f4a-9c7d-2e1f0a9b8c7d'],
    }),
    amountCents: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "The amount captured; it must be the order's total",
      examples: [3000],
    }),
    paymentId: Type.String({ minLength: 1, maxLength: 200, examples: ['pay_7Hq2xK'] }),
  },
  { description: 'A payment captured by the payment service' },
);

type PaymentCaptured = Static<typeof PAYMENT_CAPTURED_DATA>;

const FIELD_CHECKS = {
  orderId: [TypeCompiler.Compile(PAYMENT_CAPTURED_DATA.properties.orderId), 'orderId must be a UUID'],
  amountCents: [
    TypeCompiler.Compile(PAYMENT_CAPTURED_DATA.properties.amountCents),
    'amountCents must be a positive integer',
  ],
  paymentId: [
    TypeCompiler.Compile(PAYMENT_CAPTURED_DATA.properties.paymentId),
    'paymentId must be a string of 1 to 200 characters',
  ],
} satisfies Record<keyof PaymentCaptured, [TypeCheck<TSchema>, string]>;

/** The data of a `payment.captured.v1` CloudEvent, or why it is not one. */
function paymentCaptured(data: unknown): PaymentCaptured {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const problems = Object.entries(FIELD_CHECKS)
    .filter(([name, [check]]) => !check.Check(fields[name]))
    .map(([, [, problem]]) => problem);
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

  readonly accepts = { type: PAYMENT_CAPTURED, data: PAYMENT_CAPTURED_DATA };

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
