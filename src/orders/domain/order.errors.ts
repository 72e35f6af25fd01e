import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';

export class PaymentDoesNotMatchTotal extends DomainRuleViolation {
  readonly code = 'payment-does-not-match-total';
  constructor(amountCents: number, totalCents: number) {
    super(`A payment of ${amountCents} cents does not match the order total of ${totalCents} cents`);
  }
}

export class OrderAlreadyPaid extends DomainRuleViolation {
  readonly code = 'order-already-paid';
  constructor(orderId: string) {
    super(`Order ${orderId} is already paid`);
  }
}

export class OrderCancelledAlready extends DomainRuleViolation {
  readonly code = 'order-cancelled';
  constructor(orderId: string) {
    super(`Order ${orderId} is cancelled`);
  }
}

export class OrderNotPaid extends DomainRuleViolation {
  readonly code = 'order-not-paid';
  constructor(orderId: string) {
    super(`Order ${orderId} cannot be shipped before it is paid`);
  }
}

export class OrderAlreadyShipped extends DomainRuleViolation {
  readonly code = 'order-already-shipped';
  constructor(orderId: string) {
    super(`Order ${orderId} is already shipped`);
  }
}

export class EmptyOrder extends DomainRuleViolation {
  readonly code = 'empty-order';
  constructor(orderId: string) {
    super(`Order ${orderId} has no lines`);
  }
}
