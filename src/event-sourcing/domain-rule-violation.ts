/**
 * Base of every error an aggregate raises when a command breaks one of its rules. Pure TypeScript so
 * domain code can extend it; the HTTP layer answers it with 422 and `code` as the problem type.
 */
export abstract class DomainRuleViolation extends Error {
  /** Stable, kebab-case identifier of the rule, e.g. `cart-already-checked-out`. */
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
