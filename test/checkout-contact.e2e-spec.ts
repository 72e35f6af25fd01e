import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { CustomerPersonalDataErased, customerStreamId } from '../src/customers/domain/customer.events';
import { ANY_VERSION, EventStore } from '../src/event-sourcing/event-store';
import { eventually } from './support/eventually';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

type CartCommand = { cartId: string; version: number; position: number };
type OrderBody = {
  orderId: string;
  customerId: string;
  email: string | null;
  shippingAddress: Record<string, string> | null;
  erased: boolean;
  version: number;
};

const ADDRESS = {
  name: 'Ann Example',
  line1: '1 Main Street',
  line2: 'Flat 2',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
};
const CONTACT = { email: 'ann@example.com', shippingAddress: ADDRESS };
const NO_CONTACT = { email: null, shippingAddress: null, erased: false };

let counter = 0;
const newCustomer = () => `contact-customer-${process.pid}-${++counter}`;

describe('the contact given at checkout', () => {
  let test: TestApp;
  const api = () => request(test.url);

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  const cartWithShoes = async (customerId: string) => {
    const { cartId } = (await api().post('/carts').send({ customerId }).expect(201)).body as CartCommand;
    await api().post(`/carts/${cartId}/items`).send({ productId: 'shoes', quantity: 1, unitPriceCents: 4999 });
    return cartId;
  };
  const checkOut = (cartId: string, body?: object) => {
    const call = api().post(`/carts/${cartId}/checkout`);
    return body === undefined ? call : call.send(body);
  };
  /** The order of the cart once the saga placed it, read consistent with its placement. */
  const orderOf = async (cartId: string, checkout: CartCommand): Promise<OrderBody> => {
    const orders = await eventually(async () => {
      const found = (await api().get('/orders').query({ cartId, consistentWith: checkout.position }).expect(200))
        .body as OrderBody[];
      return found.length > 0 ? found : undefined;
    }, 'the saga to place the order');
    return orders[0]!;
  };
  const placedWith = async (customerId: string, body?: object) => {
    const cartId = await cartWithShoes(customerId);
    const checkout = (await checkOut(cartId, body).expect(200)).body as CartCommand;
    return orderOf(cartId, checkout);
  };
  const orderNow = async (orderId: string, consistentWith: number) =>
    (await api().get(`/orders/${orderId}`).query({ consistentWith }).expect(200)).body as OrderBody;

  it('reaches the order: its view, the list, and the view at a past version', async () => {
    const customerId = newCustomer();
    const placed = await placedWith(customerId, CONTACT);
    expect(placed).toMatchObject({ customerId, ...CONTACT, erased: false });
    const { orderId } = placed;
    const paid = await api().post(`/orders/${orderId}/payments`).send({ amountCents: 4999 }).expect(200);
    const now = await orderNow(orderId, (paid.body as CartCommand).position);
    expect(now).toMatchObject({ ...CONTACT, erased: false, version: 2 });
    const past = await api().get(`/orders/${orderId}`).query({ atVersion: 1 }).expect(200);
    expect(past.body).toEqual({ ...now, status: 'placed', version: 1 });
    const list = await api().get('/orders').query({ customerId }).expect(200);
    expect(list.body).toEqual([now]);
  });

  it('is optional: no body, an empty one, or an e-mail address alone, and an address without line2', async () => {
    expect(await placedWith(newCustomer())).toMatchObject(NO_CONTACT);
    expect(await placedWith(newCustomer(), {})).toMatchObject(NO_CONTACT);
    expect(await placedWith(newCustomer(), { email: 'ann@example.com' })).toMatchObject({
      email: 'ann@example.com',
      shippingAddress: null,
    });
    const { line2: _line2, ...oneLine } = ADDRESS;
    const order = await placedWith(newCustomer(), { email: 'ann@example.com', shippingAddress: oneLine });
    expect(order.shippingAddress).toEqual(oneLine);
  });

  it('stays out of the cart and its lists', async () => {
    const customerId = newCustomer();
    const cartId = await cartWithShoes(customerId);
    const checkout = (await checkOut(cartId, CONTACT).expect(200)).body as CartCommand;
    const cart = await api().get(`/carts/${cartId}`).query({ consistentWith: checkout.position }).expect(200);
    const carts = await api().get('/carts').query({ customerId, consistentWith: checkout.position }).expect(200);
    const past = await api().get(`/carts/${cartId}`).query({ atVersion: checkout.version }).expect(200);
    for (const body of [cart.body, carts.body, past.body]) expect(JSON.stringify(body)).not.toContain('example.com');
  });

  const longest = 'x'.repeat(200);
  it.each([
    ['an invalid e-mail address', { email: 'not-an-address' }, ['email']],
    ['an e-mail address of 201 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(136)}.com` }, ['email']],
    ['an empty e-mail address', { email: '' }, ['email']],
    ['an e-mail address that is not a string', { email: 42 }, ['email']],
    ['a null e-mail address', { email: null }, ['email']],
    ['an address without an e-mail address', { shippingAddress: ADDRESS }, ['email']],
    ['a null address', { email: 'ann@example.com', shippingAddress: null }, ['shippingAddress']],
    ['an address that is a string', { email: 'ann@example.com', shippingAddress: 'Berlin' }, ['shippingAddress']],
    ['an address that is an array', { email: 'ann@example.com', shippingAddress: [ADDRESS] }, ['shippingAddress']],
    ['a country that is no country', { ...CONTACT, shippingAddress: { ...ADDRESS, country: 'XX' } }, ['country']],
    ['a three-letter country', { ...CONTACT, shippingAddress: { ...ADDRESS, country: 'usa' } }, ['country']],
    ['a lower-case country', { ...CONTACT, shippingAddress: { ...ADDRESS, country: 'de' } }, ['country']],
    ['an empty city', { ...CONTACT, shippingAddress: { ...ADDRESS, city: '' } }, ['city']],
    ['a name of 201 characters', { ...CONTACT, shippingAddress: { ...ADDRESS, name: `${longest}y` } }, ['name']],
    [
      'a postal code that is a number',
      { ...CONTACT, shippingAddress: { ...ADDRESS, postalCode: 10115 } },
      ['postalCode'],
    ],
    ['a null line2', { ...CONTACT, shippingAddress: { ...ADDRESS, line2: null } }, ['line2']],
    ['a missing line1', { ...CONTACT, shippingAddress: { ...ADDRESS, line1: undefined } }, ['line1']],
    ['an unknown field', { ...CONTACT, phone: '+49 30 1234' }, ['phone']],
    ['an unknown address field', { ...CONTACT, shippingAddress: { ...ADDRESS, floor: '3' } }, ['floor']],
  ])('refuses %s with 400 naming the field, and checks nothing out', async (_case, body, fields) => {
    const cartId = await cartWithShoes(newCustomer());
    const response = await checkOut(cartId, body);
    expectProblem(response, 400);
    const named = (response.body as { errors: { field: string }[] }).errors.map((error) =>
      error.field.split('.').at(-1),
    );
    expect(named).toEqual(fields);
    const events = (await api().get(`/carts/${cartId}/events`).expect(200)).body as { type: string }[];
    expect(events.map((event) => event.type)).not.toContain('shopping-cart.checked-out.v3');
  });

  it('takes 200 characters, counted in code points', async () => {
    const emoji = '😀'.repeat(200);
    const address = { ...ADDRESS, name: emoji, line1: longest, line2: longest, postalCode: longest, city: longest };
    const order = await placedWith(newCustomer(), { email: 'ann@example.com', shippingAddress: address });
    expect(order.shippingAddress).toEqual(address);
  });

  it('is erased from every order of the customer, and only theirs, also when rebuilt from 0', async () => {
    const [erasedCustomer, otherCustomer] = [newCustomer(), newCustomer()];
    const first = await placedWith(erasedCustomer, CONTACT);
    const second = await placedWith(erasedCustomer, { email: 'ann@example.com' });
    const other = await placedWith(otherCustomer, { ...CONTACT, email: 'bob@example.com' });

    const erasure = new CustomerPersonalDataErased(erasedCustomer, 'Asked by e-mail', 'dpo@example.com');
    const { positions } = await test.app
      .get(EventStore)
      .append(customerStreamId(erasedCustomer), ANY_VERSION, [erasure]);
    const erasedAt = positions[0]!;
    for (const { orderId } of [first, second]) {
      expect(await orderNow(orderId, erasedAt)).toMatchObject({ email: null, shippingAddress: null, erased: true });
    }
    expect(await orderNow(other.orderId, erasedAt)).toEqual(other);
    const rows = await test.dataSource.query<{ email: string | null; shipping_address: string | null }[]>(
      `SELECT email, shipping_address FROM order_details WHERE customer_id = ${param(test, 1)}`,
      [erasedCustomer],
    );
    expect(rows).toEqual([
      { email: null, shipping_address: null },
      { email: null, shipping_address: null },
    ]);

    // A new order of the same customer after the erasure keeps its own contact.
    const later = await placedWith(erasedCustomer, CONTACT);
    expect(later).toMatchObject({ ...CONTACT, erased: false });

    const before = await Promise.all([first, second, other, later].map(({ orderId }) => orderNow(orderId, erasedAt)));
    await api().post('/subscriptions/order-details/rebuild').expect(202);
    const head = await headPosition(test);
    const after = await Promise.all([first, second, other, later].map(({ orderId }) => orderNow(orderId, head)));
    expect(after).toEqual(before);
  });
});

const param = (test: TestApp, n: number) => (test.dataSource.options.type === 'postgres' ? `$${n}` : '?');

async function headPosition(test: TestApp): Promise<number> {
  const [row] = await test.dataSource.query<{ head: number | string }[]>('SELECT MAX(position) AS head FROM events');
  return Number(row?.head ?? 0);
}
