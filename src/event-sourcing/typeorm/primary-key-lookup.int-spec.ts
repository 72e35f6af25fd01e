import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createEventSourcingTestModule } from '../testing/event-sourcing-test-module';
import { PrimaryKeyLookup } from './primary-key-lookup';
import { Transactions } from './transactions';

@Entity('lookup_rows')
class LookupRow {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'simple-json' })
  tags!: string[];
}

describe('PrimaryKeyLookup', () => {
  let close: () => Promise<void>;
  let transactions: Transactions;
  let dataSource: DataSource;
  let lookup: PrimaryKeyLookup<LookupRow>;

  beforeEach(async () => {
    const test = await createEventSourcingTestModule({ imports: [TypeOrmModule.forFeature([LookupRow])] });
    close = test.close;
    transactions = test.module.get(Transactions);
    dataSource = test.module.get(DataSource);
    await dataSource.query('CREATE TABLE lookup_rows (id varchar PRIMARY KEY, tags text NOT NULL)');
    await dataSource.getRepository(LookupRow).insert(['b', 'c', 'a'].map((id) => ({ id, tags: [id, `${id}${id}`] })));
    lookup = new PrimaryKeyLookup(transactions, LookupRow);
  });
  afterEach(() => close());

  it('answers lookups asked for at once each with its own row, as TypeORM finds it', async () => {
    // On PostgreSQL these share one statement: each answer must still be the row of its own key.
    const keys = ['a', 'missing', 'c', 'a', 'b'];
    const found = await Promise.all(keys.map((key) => lookup.find(key)));
    const expected = await Promise.all(keys.map((id) => dataSource.getRepository(LookupRow).findOneBy({ id })));
    expect(found).toEqual(expected.map((row) => (row === null ? null : { ...row })));
    expect(found.map((row) => row?.id ?? null)).toEqual(['a', null, 'c', 'a', 'b']);
    expect(found[0]).not.toBe(found[3]);
  });

  it('sees a row committed before the lookup was asked for, and inside a unit of work its own writes', async () => {
    await dataSource.getRepository(LookupRow).insert({ id: 'd', tags: ['new'] });
    const [fresh, missing] = await Promise.all([lookup.find('d'), lookup.find('e')]);
    expect(fresh).toEqual({ id: 'd', tags: ['new'] });
    expect(missing).toBeNull();
    const inside = await transactions.write(async (manager) => {
      await manager.getRepository(LookupRow).insert({ id: 'e', tags: ['uncommitted'] });
      return lookup.find('e');
    });
    expect(inside).toEqual({ id: 'e', tags: ['uncommitted'] });
  });
});
