import request from 'supertest';
import { eventually } from './eventually';

export interface CartLineInput {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface ShippedOrder {
  cartId: string;
  /** The checkout's acknowledgement: the cart's version and the position of its checkout event. */
  checkout: { version: number; position: number };
  orderId: string;
}

/**
 * The whole story of one purchase over HTTP, every step under one correlation id: a cart opened, filled,
 * checked out, the order the saga placed for it paid in full and shipped.
 */
export async function shippedOrder(
  url: string,
  { customerId, lines, correlationId }: { customerId: string; lines: CartLineInput[]; correlationId: string },
): Promise<ShippedOrder> {
  const api = () => request(url);
  const { cartId } = (await api().post('/carts').send({ customerId }).expect(201)).body as { cartId: string };
  for (const line of lines) await api().post(`/carts/${cartId}/items`).send(line).expect(200);
  const checkout = (await api().post(`/carts/${cartId}/checkout`).set('X-Correlation-Id', correlationId).expect(200))
    .body as ShippedOrder['checkout'];
  const orderId = await eventually(async () => {
    const [order] = (await api().get('/orders').query({ cartId }).expect(200)).body as { orderId: string }[];
    return order?.orderId;
  }, 'the order of the checkout');
  const totalCents = lines.reduce((total, line) => total + line.quantity * line.unitPriceCents, 0);
  await api()
    .post(`/orders/${orderId}/payments`)
    .set('X-Correlation-Id', correlationId)
    .send({ amountCents: totalCents })
    .expect(200);
  await api().post(`/orders/${orderId}/shipment`).set('X-Correlation-Id', correlationId).expect(200);
  return { cartId, checkout, orderId };
}
