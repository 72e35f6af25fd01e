export class SubscriptionNotFound extends Error {
  constructor(readonly subscription: string) {
    super(`No subscription is named "${subscription}"`);
    this.name = 'SubscriptionNotFound';
  }
}

/** Subscriptions asked to start paused do not exist: a misspelt name must not leave the real one running. */
export class UnknownSubscriptions extends Error {
  constructor(
    readonly names: string[],
    readonly known: string[],
  ) {
    super(`No subscription is named ${names.map((name) => `"${name}"`).join(', ')}; there are ${known.join(', ')}`);
    this.name = 'UnknownSubscriptions';
  }
}

/** Rebuilding a saga would send all its commands again; only projections can be rebuilt. */
export class SubscriptionNotRebuildable extends Error {
  constructor(readonly subscription: string) {
    super(`${subscription} is a saga; only projections can be rebuilt`);
    this.name = 'SubscriptionNotRebuildable';
  }
}

export class ParkedEventNotFound extends Error {
  constructor(
    readonly subscription: string,
    readonly position: number,
  ) {
    super(`${subscription} has no parked event at position ${position}`);
    this.name = 'ParkedEventNotFound';
  }
}

/** An operator's retry of a parked event failed again; the event stays parked. */
export class ParkedRetryFailed extends Error {
  constructor(
    readonly subscription: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`Retrying ${subscription} at position ${position} failed again: ${reason}`);
    this.name = 'ParkedRetryFailed';
  }
}
