import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { authConfig } from '../config/auth.config';
import { isStorableText } from '../http/request-validation';
import { AuthenticationRequired } from './auth.errors';
import type { Principal } from './roles';

/** RFC 7235: the scheme name is case-insensitive. */
const BEARER = /^bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** Fixed texts for the library's refusals: its own messages can quote the token's content. */
function refusal(error: unknown): AuthenticationRequired {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TokenExpiredError') return new AuthenticationRequired('The token has expired', true);
  if (name === 'NotBeforeError') return new AuthenticationRequired('The token is not valid yet', true);
  return new AuthenticationRequired('The token was refused', true);
}

/**
 * Turns an Authorization header into the caller's identity with @nestjs/jwt: the signature (HS256 or
 * RS256, nothing else), `exp` (required, and at most AUTH_MAX_TOKEN_LIFETIME_S after `iat` or now),
 * `nbf`, and the issuer and audience when configured.
 */
@Injectable()
export class TokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  async verify(header: string | undefined): Promise<Principal> {
    if (header === undefined) throw new AuthenticationRequired('A bearer token is required', false);
    const match = BEARER.exec(header.trim());
    if (match === null) throw new AuthenticationRequired('Authorization must be: Bearer <JWT>', true);
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(match[1]!, {
        ...(this.config.secret !== undefined
          ? { secret: this.config.secret, algorithms: ['HS256'] }
          : { publicKey: this.config.publicKey, algorithms: ['RS256'] }),
        issuer: this.config.issuer,
        audience: this.config.audience,
      });
    } catch (error) {
      throw refusal(error);
    }
    this.checkLifetime(claims);
    const { sub, roles } = claims;
    if (typeof sub !== 'string' || sub === '' || sub.length > 200 || !isStorableText(sub)) {
      throw new AuthenticationRequired('The token has no usable subject (sub)', true);
    }
    const granted = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
    return { sub, roles: granted };
  }

  /** A token that never expires, or lives for years, is a leaked credential that never stops working. */
  private checkLifetime({ exp, iat }: Record<string, unknown>): void {
    if (typeof exp !== 'number') throw new AuthenticationRequired('The token has no expiry (exp)', true);
    const now = Date.now() / 1000;
    // From iat when given, but never from a future one: that would stretch the allowed lifetime.
    const issued = typeof iat === 'number' ? Math.min(iat, now) : now;
    if (exp - issued > this.config.maxTokenLifetimeS) {
      throw new AuthenticationRequired(`The token lives longer than ${this.config.maxTokenLifetimeS} seconds`, true);
    }
  }
}
