import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import request from 'supertest';
import { EventStore, NO_STREAM } from '../src/event-sourcing/event-store';
import { WalScrubber } from '../src/event-sourcing/personal-data/wal-scrubber';
import { contactOf } from '../src/event-sourcing/testing/personal-data.fixture';
import { startTestApp, TestApp } from './support/test-app';

/** Stands in for a read model's copy of personal data, which its projection clears on the erasure event. */
const READ_MODEL_COPY = 'zelda-copy@mail.example';

describe('personal data at rest in the SQLite files', () => {
  let test: TestApp;
  const files = () => [test.databasePath!, `${test.databasePath!}-wal`];
  const occurrences = (text: string) =>
    files().filter((file) => {
      try {
        return readFileSync(file).includes(Buffer.from(text));
      } catch {
        return false;
      }
    });

  beforeAll(async () => {
    test = await startTestApp();
    await test.app.get(EventStore).append('contact-zelda', NO_STREAM, [contactOf('zelda')]);
    await test.app.get(EventStore).append('contact-yann', NO_STREAM, [contactOf('yann')]);
    await test.dataSource.query('CREATE TABLE read_model_copy (email TEXT)');
    await test.dataSource.query('INSERT INTO read_model_copy VALUES (?)', [READ_MODEL_COPY]);
  });
  afterAll(() => test.close());

  it('never writes the personal fields in plaintext, and leaves no copy of cleared rows after an erasure', async () => {
    expect(occurrences('zelda@mail.example')).toEqual([]);
    expect(occurrences('zelda Lane 7')).toEqual([]);
    expect(occurrences(READ_MODEL_COPY)).not.toEqual([]);
    await test.dataSource.query('DELETE FROM read_model_copy');

    const erased = await request(test.url).delete('/customers/zelda/personal-data?reason=asked').expect(202);
    // Queued behind the erasure's own job: resolves once that one is done too.
    await test.app.get(WalScrubber).scrubAfter((erased.body as { position: number }).position);

    expect(statSync(`${test.databasePath!}-wal`).size).toBe(0);
    expect(occurrences(READ_MODEL_COPY)).toEqual([]);
    const yann = await request(test.url).get('/customers/yann/personal-data').expect(200);
    expect(JSON.stringify(yann.body)).toContain('yann@mail.example');
  });
});
