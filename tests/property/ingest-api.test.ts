/**
 * Property-based tests of POST /api/v1/incidents (fast-check): random and hostile payloads
 * (wrong types, huge strings, NaN, out-of-range coordinates, SQL fragments, deep nesting, bodies
 * that are not JSON at all) never give a 500, and a refused batch leaves nothing behind.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord, postIncidents } from '../support/ingest-client.js';
import { startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

const SQL_FRAGMENTS = ["'; DROP TABLE incident; --", '1 OR 1=1', "x' UNION SELECT token_hash FROM session --", '$1', '\\', '%_%', '\u0000', '🙂'];
const FIELDS = ['source', 'externalId', 'kind', 'category', 'severity', 'occurredAt', 'lat', 'lng', 'coords', 'storeCode', 'city', 'riderId', 'description', 'photoUrls', 'ai'];

/** Values that are wrong somewhere: types, sizes, ranges, non-finite numbers, nesting. */
const hostileValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -0, 91, -181, 2 ** 63, null, true, '', ' '),
  fc.constantFrom(...SQL_FRAGMENTS),
  fc.string({ maxLength: 50 }),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 200 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown),
);

let runId = 0;

/** A record: valid, or valid with one to three fields made hostile, removed or added. */
function recordArb(prefix: string) {
  return fc.record({
    n: fc.nat({ max: 1_000_000 }),
    // most records stay valid, so that whole batches are accepted often enough to test that too
    mutations: fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.record({ field: fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 20 })), value: hostileValue, remove: fc.boolean() }),
          { minLength: 1, maxLength: 3 },
        ),
      },
    ),
    sqlId: fc.constantFrom(...SQL_FRAGMENTS),
    sqlText: fc.constantFrom(...SQL_FRAGMENTS),
  }).map(({ n, mutations, sqlId, sqlText }) => {
    const record: Record<string, unknown> = apiRecord({ externalId: `${prefix}-${n}-${sqlId}`, description: sqlText });
    for (const m of mutations) {
      if (m.remove) delete record[m.field];
      else record[m.field] = m.value;
    }
    return record;
  });
}

describe('ingest API under random and hostile payloads', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none', env: { INGEST_RATE_PER_MINUTE: '100000' } });
    await seedPlaces(server.store);
    key = (await server.store.security.createApiKey('property', 'test')).key;
  });
  afterAll(async () => {
    await server?.close();
  });

  const count = async () => (await server.store.incidentTotals({ all: true })).total;

  it('never answers 500, and stores a batch whole or not at all', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer().chain(() => {
          const prefix = `p${++runId}`;
          return fc.array(recordArb(prefix), { minLength: 1, maxLength: 6 }).map((incidents) => ({ prefix, incidents }));
        }),
        async ({ incidents }) => {
          const before = await count();
          const res = await postIncidents(server.url, key, { incidents });
          const body = (await res.json()) as { inserted?: number; duplicates?: number; errors?: Array<{ index: number | null; field: string; message: string }> };
          expect(res.status).toBeLessThan(500);
          const after = await count();
          if (res.status === 200) {
            accepted++;
            expect(after - before).toBe(body.inserted);
            expect(body.inserted! + body.duplicates!).toBe(incidents.length);
          } else {
            refused++;
            expect([413, 422]).toContain(res.status);
            expect(after).toBe(before);
            expect(body.errors!.length).toBeGreaterThan(0);
            for (const e of body.errors!) {
              expect(e.index === null || (Number.isInteger(e.index) && e.index >= 0 && e.index < incidents.length)).toBe(true);
              expect(typeof e.field).toBe('string');
              expect(e.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 120, seed: 7, endOnFailure: true },
    );
    // the generator must exercise both outcomes, or the property says little
    expect(accepted).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  });

  it('stores SQL fragments verbatim as data', async () => {
    for (const fragment of SQL_FRAGMENTS.filter((f) => !f.includes('\u0000'))) {
      const res = await postIncidents(server.url, key, { incidents: [apiRecord({ externalId: `sql-${fragment}`, description: fragment, riderId: fragment })] });
      expect(res.status).toBe(200);
      const stored = await server.store.incidentBySourceKey('ai_vision', `sql-${fragment}`, { all: true });
      expect(stored?.description).toBe(fragment);
    }
  });

  it('never answers 500 to bodies that are not a batch at all', async () => {
    const deep = (d: number) => '{"incidents":[' + '['.repeat(d) + ']'.repeat(d) + ']}';
    const fixed = [deep(10_000), deep(200_000), '', 'null', '[]', '"x"', '{"incidents":{}}', '{"incidents":null}', '{"__proto__":{"x":1},"incidents":[]}', '\u0000', '{"incidents":[' + 'null,'.repeat(6000) + 'null]}'];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...fixed), fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 })), async (body) => {
        const before = await count();
        const res = await postIncidents(server.url, key, body);
        expect(res.status).toBeLessThan(500);
        expect(res.status).not.toBe(200);
        expect(await count()).toBe(before);
      }),
      { numRuns: 80, seed: 11, endOnFailure: true },
    );
  });

  it('answers 413 to a 10 MB body and keeps serving', async () => {
    const big = '{"incidents":[' + JSON.stringify(apiRecord({ description: 'y'.repeat(10 * 1024 * 1024) })) + ']}';
    expect((await postIncidents(server.url, key, big)).status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
