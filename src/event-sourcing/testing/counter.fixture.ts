import { EventSourcedAggregate, On } from '../aggregate-root';
import { DomainRuleViolation } from '../domain-rule-violation';
import { Type } from '@sinclair/typebox';
import { eventData } from '../event-schema';
import { EventType } from '../event-type';

/** A tiny aggregate for testing the infrastructure without any feature module. */
@EventType('counter-test.started.v1', eventData({ limit: Type.Integer() }))
export class CounterStarted {
  constructor(readonly limit: number) {}
}

@EventType('counter-test.incremented.v1', eventData({ by: Type.Integer() }))
export class CounterIncremented {
  constructor(readonly by: number) {}
}

@EventType('counter-test.decremented.v1', eventData({ by: Type.Integer() }))
export class CounterDecremented {
  constructor(readonly by: number) {}
}

export class CounterLimitReached extends DomainRuleViolation {
  readonly code = 'counter-limit-reached';
}

export class CounterBelowZero extends DomainRuleViolation {
  readonly code = 'counter-below-zero';
}

export class Counter extends EventSourcedAggregate {
  static readonly streamCategory = 'counter';
  limit = 0;
  value = 0;
  increments: number[] = [];

  static start(id: string, limit: number): Counter {
    const counter = new Counter(id);
    counter.apply(new CounterStarted(limit));
    return counter;
  }

  increment(by: number): void {
    if (this.value + by > this.limit) throw new CounterLimitReached(`${this.value} + ${by} exceeds ${this.limit}`);
    this.apply(new CounterIncremented(by));
  }

  decrement(by: number): void {
    if (this.value - by < 0) throw new CounterBelowZero(`${this.value} - ${by} is below zero`);
    this.apply(new CounterDecremented(by));
  }

  @On(CounterStarted)
  protected started(event: CounterStarted): void {
    this.limit = event.limit;
  }

  @On(CounterIncremented)
  protected incremented(event: CounterIncremented): void {
    this.value += event.by;
    this.increments.push(event.by);
  }

  @On(CounterDecremented)
  protected decremented(event: CounterDecremented): void {
    this.value -= event.by;
  }
}
