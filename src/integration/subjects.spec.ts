import { describe, expect, it } from '@jest/globals';
import { subjectCovers } from './subjects';

describe('subjectCovers', () => {
  it.each([
    ['ledgerline.>', 'ledgerline.>', true],
    ['>', 'ledgerline.>', true],
    ['*.>', 'ledgerline.>', true],
    ['ledgerline.*', 'ledgerline.>', false],
    ['ledgerline.order.>', 'ledgerline.>', false],
    ['other.>', 'ledgerline.>', false],
    ['payments.captured', 'payments.captured', true],
    ['payments.*', 'payments.captured', true],
    ['payments.*', 'payments.captured.eu', false],
    ['payments', 'payments.captured', false],
  ])('%s covers %s: %s', (pattern, subject, covers) => {
    expect(subjectCovers(pattern, subject)).toBe(covers);
  });
});
