import { CanActivate, ExecutionContext, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { authConfig } from '../config/auth.config';
import { AuthenticationRequired, RoleRequired } from './auth.errors';
import { Principal, PUBLIC_ROUTE, REQUIRED_ROLE } from './roles';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * With AUTH_MODE=jwt every route but the public ones needs the route's role in the token's `roles`
 * claim. The token itself was verified by AuthenticationMiddleware before the body was read. With
 * AUTH_MODE=off (never in production) everything is allowed.
 */
@Injectable()
export class AuthGuard implements CanActivate, OnApplicationBootstrap {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.mode === 'off') {
      this.logger.warn(
        'AUTH_MODE=off: every request is allowed and events carry no actor. Never run so in production.',
      );
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.config.mode === 'off') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Only a public path passes the middleware without a token; a guarded route there still refuses.
    if (principal === undefined) throw new AuthenticationRequired('A bearer token is required', false);
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLE, targets);
    if (roles !== undefined && !roles.some((role) => principal.roles.includes(role))) throw new RoleRequired(roles);
    return true;
  }
}
