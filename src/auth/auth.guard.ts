import { CanActivate, ExecutionContext, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { authConfig } from '../config/auth.config';
import { AuthenticationRequired, RoleRequired } from './auth.errors';
import { Principal, PUBLIC_ROUTE, REQUIRED_ROLE } from './roles';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * With AUTH_MODE=jwt every route but the public ones needs a bearer token verified by @nestjs/jwt
 * (signature, `exp`, `nbf`, and issuer and audience when configured), and the route's role in the
 * token's `roles` claim. With AUTH_MODE=off (never in production) everything is allowed.
 */
@Injectable()
export class AuthGuard implements CanActivate, OnApplicationBootstrap {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.mode === 'off') {
      this.logger.warn(
        'AUTH_MODE=off: every request is allowed and events carry no actor. Never run so in production.',
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.mode === 'off') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.authenticate(request);
    const role = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ROLE, targets);
    if (role !== undefined && !request.principal.roles.includes(role)) throw new RoleRequired(role);
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined) throw new AuthenticationRequired('A bearer token is required', false);
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header.trim());
    if (match === null) throw new AuthenticationRequired('Authorization must be "Bearer <JWT>"', true);
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
      throw new AuthenticationRequired(
        `The token was refused: ${error instanceof Error ? error.message : 'invalid'}`,
        true,
      );
    }
    const { sub, roles } = claims;
    if (typeof sub !== 'string' || sub === '' || sub.length > 200) {
      throw new AuthenticationRequired('The token has no usable subject (sub)', true);
    }
    const granted = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
    return { sub, roles: granted };
  }
}
