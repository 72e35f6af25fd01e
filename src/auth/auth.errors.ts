/** No usable bearer token: missing, malformed, badly signed, expired or not yet valid. */
export class AuthenticationRequired extends Error {
  constructor(
    readonly detail: string,
    /** A token was sent but refused (RFC 6750 `error="invalid_token"`). */
    readonly invalidToken: boolean,
  ) {
    super(detail);
    this.name = 'AuthenticationRequired';
  }
}

/** A valid token without the role the route needs. */
export class RoleRequired extends Error {
  constructor(readonly role: string) {
    super(`This route needs the "${role}" role`);
    this.name = 'RoleRequired';
  }
}
