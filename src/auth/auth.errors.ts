/**
 * No usable bearer token: missing, malformed, badly signed, expired or not yet valid. `detail` is always
 * one of our own fixed texts, never token content: it is sent in the WWW-Authenticate header.
 */
export class AuthenticationRequired extends Error {
  constructor(
    readonly detail: string,
    /** A token was sent but refused (RFC 6750 `error="invalid_token"`). */
    readonly invalidToken: boolean,
  ) {
    super(detail);
    this.name = 'AuthenticationRequired';
  }

  /** The RFC 6750 challenge for the WWW-Authenticate header. */
  get challenge(): string {
    return this.invalidToken
      ? `Bearer realm="ledgerline", error="invalid_token", error_description="${this.detail}"`
      : 'Bearer realm="ledgerline"';
  }
}

/** A valid token without the role the route needs (any one of them, when it accepts several). */
export class RoleRequired extends Error {
  constructor(readonly roles: readonly string[]) {
    super(roleRequirement(roles));
    this.name = 'RoleRequired';
  }
}

/** `This route needs the "read" role`, or `… needs the "metrics" or the "admin" role`. */
export function roleRequirement(roles: readonly string[]): string {
  return `This route needs the ${roles.map((role) => `"${role}"`).join(' or the ')} role`;
}

/** More than one Authorization header: which credentials count would be a guess. */
export class DuplicateAuthorization extends Error {
  constructor(count: number) {
    super(`Send one Authorization header, not ${count}`);
    this.name = 'DuplicateAuthorization';
  }
}

/** The client spent its requests for now. */
export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests from this client; see Retry-After');
    this.name = 'RateLimited';
  }
}
