import { describe, expect, it } from '@jest/globals';
import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';
import {
  AggregateAlreadyExists,
  AggregateNotFound,
  ConcurrencyConflict,
  PreconditionFailed,
} from '../../event-sourcing/event-sourcing.errors';
import { commandOutcome } from './command-telemetry';

class CartIsEmpty extends DomainRuleViolation {
  readonly code = 'cart-is-empty';
}

describe('the outcome of a command that failed', () => {
  it.each([
    ['a broken rule', new CartIsEmpty('The cart is empty'), 'rejected'],
    ['an unknown aggregate', new AggregateNotFound('ShoppingCart', 'x'), 'rejected'],
    ['invalid input', new BadRequestException('quantity must be positive'), 'rejected'],
    ['a stale If-Match', new PreconditionFailed('shopping-cart-x', 1, 2), 'conflict'],
    ['retries spent on concurrent writes', new ConcurrencyConflict('shopping-cart-x', 11), 'conflict'],
    ['a duplicate create', new AggregateAlreadyExists('Order', 'x'), 'conflict'],
    ['an unavailable database', new ServiceUnavailableException(), 'error'],
    ['a bug', new TypeError('x is undefined'), 'error'],
  ])('is named for %s', (_, error, outcome) => {
    expect(commandOutcome(error)).toBe(outcome);
  });
});
