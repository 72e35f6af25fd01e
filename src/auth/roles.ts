import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblemResponses, forbidden } from '../http/api-problem-responses.decorator';

/** The roles a token's `roles` claim may grant. */
export const Role = {
  Read: 'read',
  CartsWrite: 'carts:write',
  OrdersWrite: 'orders:write',
  /** Scraping GET /metrics, for Prometheus, without the rights of `admin`. */
  Metrics: 'metrics',
  /** Exporting and erasing a customer's personal data (GDPR articles 15, 17, 20), without the rights of `admin`. */
  Privacy: 'privacy',
  Admin: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const REQUIRED_ROLE = 'ledgerline:required-role';
export const PUBLIC_ROUTE = 'ledgerline:public-route';

/**
 * The route needs a valid bearer token whose `roles` claim contains `role`, or one of `others` (with
 * AUTH_MODE=jwt). Such a route is also rate-limited: only public routes may skip the limit, so its 429 is
 * documented here.
 */
export function RequireRole(role: Role, ...others: Role[]): MethodDecorator & ClassDecorator {
  const roles = [role, ...others];
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, roles),
    ApiBearerAuth(),
    ApiProblemResponses(401, forbidden(...roles), 429),
  );
}

/** The route is open to anyone, whatever AUTH_MODE says (health checks). */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}

/** Who made the request, from the verified token. */
export interface Principal {
  sub: string;
  roles: string[];
}
