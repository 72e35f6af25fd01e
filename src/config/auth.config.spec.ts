import { describe, expect, it } from '@jest/globals';
import { readAuthConfig } from './auth.config';

const SECRET = 'x'.repeat(32);

describe('the rate limit setting', () => {
  it('is off unless NODE_ENV=production', () => {
    expect(readAuthConfig({}).rateLimitPerMinute).toBe(0);
    expect(readAuthConfig({ NODE_ENV: 'development' }).rateLimitPerMinute).toBe(0);
  });

  it('defaults to 6,000 a minute in production', () => {
    expect(readAuthConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET }).rateLimitPerMinute).toBe(6000);
  });

  it('takes RATE_LIMIT_PER_MINUTE over either default, 0 turning it off', () => {
    expect(readAuthConfig({ RATE_LIMIT_PER_MINUTE: '30' }).rateLimitPerMinute).toBe(30);
    const env = { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '0' };
    expect(readAuthConfig(env).rateLimitPerMinute).toBe(0);
  });
});
