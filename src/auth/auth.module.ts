import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth.guard';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * Who may call what (JWT bearer tokens and roles) and how often (a per-client rate limit). The guards
 * run in this order, so the rate limit counts per token subject once a token is verified, else per IP.
 */
@Module({
  imports: [JwtModule.register({})],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AuthModule {}
