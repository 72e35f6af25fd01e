import { EventType } from '../../event-sourcing/event-type';

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

@EventType('order.placed.v1', { public: true })
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly cartId: string,
    readonly customerId: string,
    readonly lines: OrderLine[],
    readonly totalCents: number,
  ) {}
}

@EventType('order.paid.v1', { public: true })
export class OrderPaid {
  constructor(
    readonly orderId: string,
    readonly amountCents: number,
  ) {}
}

@EventType('order.shipped.v1', { public: true })
export class OrderShipped {
  constructor(readonly orderId: string) {}
}

@EventType('order.cancelled.v1', { public: true })
export class OrderCancelled {
  constructor(
    readonly orderId: string,
    readonly reason: string,
  ) {}
}
