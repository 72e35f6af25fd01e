import type { AuthenticatedRequest } from './auth.guard';

/**
 * Whom a request counts against for per-client limits: the token's subject once the auth guard has
 * verified one, else the caller's IP (behind a proxy, as Express's `trust proxy` setting resolves it).
 */
export function clientKey(request: AuthenticatedRequest): string {
  return request.principal ? `sub:${request.principal.sub}` : `ip:${request.ip ?? 'unknown'}`;
}
