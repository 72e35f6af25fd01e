import type { HealthCheckResult } from '@nestjs/terminus';

/** A readiness probe failed: names every failing check and why, and carries terminus' per-check details. */
export class NotReady extends Error {
  constructor(readonly checks: HealthCheckResult['details']) {
    const failing = Object.entries(checks)
      .filter(([, check]) => check.status === 'down')
      .map(([name, check]) => (typeof check.message === 'string' ? `${name}: ${check.message}` : name));
    super(`Not ready: ${failing.length > 0 ? failing.join('; ') : 'the service is shutting down'}`);
    this.name = 'NotReady';
  }
}
