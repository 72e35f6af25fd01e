import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { natsConfig } from '../config/nats.config';
import { CancelOrderHandler } from './commands/cancel-order.handler';
import { PayOrderHandler } from './commands/pay-order.handler';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { ShipOrderHandler } from './commands/ship-order.handler';
import { OrdersController } from './http/orders.controller';
import { PaymentCapturedHandler } from './inbound/payment-captured.handler';
import { GetOrderHandler } from './read-models/order-details/get-order.handler';
import { ListOrdersHandler } from './read-models/order-details/list-orders.handler';
import { OrderDetails } from './read-models/order-details/order-details.entity';
import { OrderDetailsProjection } from './read-models/order-details/order-details.projection';
import { GetOrderAtVersionHandler } from './read-models/order-history/get-order-at-version.handler';
import { CheckoutSaga } from './sagas/checkout.saga';

export const commandHandlers = [PlaceOrderHandler, PayOrderHandler, ShipOrderHandler, CancelOrderHandler];
export const queryHandlers = [GetOrderHandler, ListOrdersHandler, GetOrderAtVersionHandler];
export const projections = [OrderDetailsProjection];
export const sagas = [CheckoutSaga];
export const inboundHandlers = [PaymentCapturedHandler];

/** The orders bounded context: orders placed from checked-out carts, paid, shipped or cancelled. */
@Module({
  // The payments inbox reads its stream and subjects from the NATS settings.
  imports: [TypeOrmModule.forFeature([OrderDetails]), ConfigModule.forFeature(natsConfig)],
  controllers: [OrdersController],
  providers: [...commandHandlers, ...queryHandlers, ...projections, ...sagas, ...inboundHandlers],
})
export class OrdersModule {}
