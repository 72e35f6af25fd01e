import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth.guard';
import { AuthenticationMiddleware } from './authentication.middleware';
import { RateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

/**
 * Who may call what (JWT bearer tokens and roles) and how often (a per-client rate limit). The rate
 * limit and the token are checked by AuthenticationMiddleware, which configureApp mounts before the
 * body parser; the role per route by AuthGuard.
 */
@Module({
  imports: [JwtModule.register({})],
  providers: [RateLimiter, TokenVerifier, AuthenticationMiddleware, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
