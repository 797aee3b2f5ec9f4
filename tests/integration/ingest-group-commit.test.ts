/**
 * IncidentStore.ingest (issue 11): each batch all or nothing with its own counts; on DuckDB,
 * batches that queue while a commit runs are committed together, as if one after the other in
 * the order they came; a batch that fails does not take the others of its group down.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../server/store/duckdb.js';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

const rec = (externalId: string, overrides: Partial<IncidentInput> = {}) => incident({ source: 'ai_vision', externalId, ...overrides });
const keys = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => rec(`${prefix}${from + i}`));

describe.each(engines())('ingest batches on $engine', ({ engine, open }) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await open();
    await seedPlaces(store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('gives each of many concurrent batches its own counts, and stores every key once', async () => {
    await store.ingest([rec('pre')]);
    const batches = [
      keys('a', 0, 9), // 10 new
      [...keys('a', 5, 9), ...keys('b', 0, 4)], // 5 repeat the batch before
      [rec('c0'), rec('c0'), rec('c1')], // a key twice within the batch
      keys('a', 0, 9), // all repeats
      [rec('pre'), rec('e0')], // one stored before
    ];
    const results = await Promise.all(batches.map((b) => store.ingest(b)));
    results.forEach((r, i) => expect(r.inserted + r.duplicates, `batch ${i}`).toBe(batches[i]!.length));
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(18);
    if (engine === 'duckdb') {
      // committed together, in the order they came: counts as if one after the other
      expect(results).toEqual([
        { inserted: 10, duplicates: 0 },
        { inserted: 5, duplicates: 5 },
        { inserted: 2, duplicates: 1 },
        { inserted: 0, duplicates: 10 },
        { inserted: 1, duplicates: 1 },
      ]);
      expect((store as DuckDbStore).committer.stats.largestGroup).toBe(5);
    }
    expect((await store.incidentTotals({ all: true }, { source: 'ai_vision' })).total).toBe(19);
    const c0 = await store.incidentBySourceKey('ai_vision', 'c0', { all: true });
    expect(c0?.storeId).toBe(1);
  });

  it('fails a bad batch alone: the others of its group are stored, nothing of it is', async () => {
    const good1 = keys('g', 0, 4);
    const bad = [rec('bad-0'), rec('bad-1', { status: 'bogus' as IncidentInput['status'] })];
    const good2 = keys('h', 0, 2);
    const results = await Promise.allSettled([store.ingest(good1), store.ingest(bad), store.ingest(good2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<unknown>).value).toEqual({ inserted: 5, duplicates: 0 });
    expect((results[2] as PromiseFulfilledResult<unknown>).value).toEqual({ inserted: 3, duplicates: 0 });
    expect(await store.incidentBySourceKey('ai_vision', 'bad-0', { all: true })).toBeNull();
    expect((await store.incidentTotals({ all: true }, { source: 'ai_vision' })).total).toBe(8);
    // and the committer goes on: the next batch is stored
    expect(await store.ingest([rec('after')])).toEqual({ inserted: 1, duplicates: 0 });
  });
});

describe('group commit on duckdb', () => {
  let duck: DuckDbStore;
  beforeEach(async () => {
    duck = await DuckDbStore.open(':memory:');
    await duck.migrate();
    await seedPlaces(duck);
  });
  afterEach(async () => {
    await duck.close();
  });

  it('commits the batches that queued during a commit as one group', async () => {
    const groupsBefore = duck.committer.stats.groups;
    const first = duck.ingest(keys('w', 0, 199));
    await new Promise((r) => setImmediate(r)); // the first group's commit is under way
    const queued = [1, 2, 3, 4].map((n) => duck.ingest(keys(`q${n}-`, 0, 9)));
    await Promise.all([first, ...queued]);
    expect(duck.committer.stats.groups - groupsBefore).toBe(2);
    expect(duck.committer.stats.largestGroup).toBe(4);
  });
});
