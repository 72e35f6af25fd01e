import { describe, expect, it } from '@jest/globals';
import { streamCategory } from './store-gauges';

describe('the category label of a stream', () => {
  it.each([
    ['shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11', 'shopping-cart'],
    ['order-3F1C3B0E-2A47-4D6C-9A57-3E8C1B2F0D11', 'order'],
    ['counter-42', 'counter'],
    ['loose', 'loose'],
  ])('of %s is %s', (streamId, category) => {
    expect(streamCategory(streamId)).toBe(category);
  });
});
