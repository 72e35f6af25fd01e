import { describe, expect, it } from '@jest/globals';
import { uuidV5 } from './deterministic-id';

describe('uuidV5', () => {
  it('matches the RFC 9562 test vector', () => {
    // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives the same id for the same name and another for another name', () => {
    const namespace = '1b671a64-40d5-491e-99b0-da01ff1f3341';
    expect(uuidV5('a', namespace)).toBe(uuidV5('a', namespace));
    expect(uuidV5('a', namespace)).not.toBe(uuidV5('b', namespace));
  });
});
