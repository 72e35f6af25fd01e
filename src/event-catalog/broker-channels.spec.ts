import { describe, expect, it } from '@jest/globals';
import { natsServers } from './broker-channels';

describe('the NATS servers of the event catalog', () => {
  it('names each NATS_URL server by host and port only, never its credentials', () => {
    expect(natsServers(['nats://user:secret@broker-1:4333', 'tls://token@broker-2.example.com'])).toEqual({
      nats: { host: 'broker-1:4333', protocol: 'nats', title: 'NATS JetStream', description: 'From NATS_URL.' },
      'nats-2': {
        host: 'broker-2.example.com:4222',
        protocol: 'nats',
        title: 'NATS JetStream',
        description: 'Over TLS.',
      },
    });
    expect(JSON.stringify(natsServers(['nats://user:secret@broker-1:4333']))).not.toContain('secret');
  });

  it('is a placeholder, said to be one, without NATS_URL', () => {
    expect(natsServers([])).toEqual({
      nats: expect.objectContaining({
        host: '{host}',
        protocol: 'nats',
        description: expect.stringContaining('NATS_URL is not set') as unknown,
        variables: { host: expect.objectContaining({ default: 'localhost:4222' }) as unknown },
      }) as unknown,
    });
  });
});
