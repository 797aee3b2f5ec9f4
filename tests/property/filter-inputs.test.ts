/**
 * Property-based tests of the filter inputs over real HTTP (fast-check): random and hostile
 * filters, resolutions, boxes, cells and cursors sent to map.hexbins, incidents.list and
 * stats.kpis never give a 500: valid ones answer 200, the rest 400 naming a field.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';
import { seedPlaces } from '../support/fixtures.js';

const SQL = ["'; DROP TABLE incident; --", "' OR '1'='1", '%', '_', '\\', '$1', '\u0000', '"', '🙂'];

const hostile = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(...SQL),
  fc.constantFrom(null, -1, 0, 2 ** 31, 2 ** 53, 1e308, -1e308, 'NaN', '2024-13-45T99:99:99Z', '2024-01-01T00:00:00Z'),
  fc.string({ maxLength: 300 }),
  fc.array(fc.integer(), { maxLength: 1200 }),
);

const validFields = {
  kinds: fc.subarray(['accident', 'exception'], { minLength: 1 }),
  severities: fc.subarray([1, 2, 3, 4], { minLength: 1 }),
  statuses: fc.subarray(['open', 'assigned', 'in_progress', 'closed', 'dismissed'], { minLength: 1 }),
  storeIds: fc.array(fc.integer({ min: 1, max: 2_147_483_647 }), { minLength: 1, maxLength: 20 }),
  cityIds: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }),
  overdueOnly: fc.boolean(),
  // SQL fragments, LIKE wildcards and odd characters are valid search text and must stay data
  q: fc.oneof(fc.constantFrom(...SQL), fc.string({ minLength: 1, maxLength: 100 }).filter((q) => q.trim() !== '')),
};
const isoDate = fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());

/** Valid filters: any subset of the fields, `from` never after `to`. */
const validFilters = fc
  .tuple(fc.record(validFields, { requiredKeys: [] }), fc.option(fc.tuple(isoDate, isoDate)))
  .map(([f, range]) => (range ? { ...f, from: range[0] < range[1] ? range[0] : range[1], to: range[0] < range[1] ? range[1] : range[0] } : f));

/** Valid filters with one to three fields made hostile, or an unknown key added. */
const hostileFilters = fc
  .tuple(validFilters, fc.array(fc.tuple(fc.oneof(fc.constantFrom(...Object.keys(validFields), 'from', 'to'), fc.string({ maxLength: 8 })), hostile), { minLength: 1, maxLength: 3 }))
  .map(([f, bad]) => Object.assign({ ...f }, Object.fromEntries(bad)));

const filtersArb = fc.oneof(validFilters, hostileFilters);
const mostly = <T,>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: hostile });

describe('filter inputs under random and hostile values', () => {
  let server: TestServer;
  let client: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    server = await startTestServer({ demo: 'none' });
    await seedPlaces(server.store);
    await server.store.upsertUsers([{ id: 'demo-analyst', name: 'Analyst', role: 'analyst', storeIds: [], feishuOpenId: null }]);
    client = httpClient(server.url);
    expect((await client.mutate('auth.devLogin', { userId: 'demo-analyst' })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function expectNo500(proc: string, input: unknown, counts: Record<number, number>) {
    const res = await client.query(proc, input);
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    expect(res.status, `${proc} ${JSON.stringify(input).slice(0, 300)}`).toBeLessThan(500);
    if (res.status === 400) {
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/\w+: /); // names the field
    } else {
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
  }

  it('map.hexbins never answers 500', async () => {
    const counts: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        filtersArb,
        mostly(fc.integer({ min: 5, max: 11 })),
        fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant([119, 25.9, 119.5, 26.2]) }, fc.tuple(fc.double(), fc.double(), fc.double(), fc.double()), hostile)),
        async (filters, resolution, bbox) => {
          await expectNo500('map.hexbins', { filters, resolution, ...(bbox === null ? {} : { bbox }) }, counts);
        },
      ),
      { numRuns: 150, seed: 3, endOnFailure: true },
    );
    expect(counts[200] ?? 0).toBeGreaterThan(5);
    expect(counts[400] ?? 0).toBeGreaterThan(5);
  });

  it('incidents.list never answers 500 (cells and cursors included)', async () => {
    const counts: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        filtersArb,
        fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.constantFrom('891c0000003ffff', '8b41a9a4a52cfff', 'fffffffffffffff', '000000000000000'), hostile),
        fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, fc.base64String({ maxLength: 80 }), hostile),
        mostly(fc.integer({ min: 1, max: 200 })),
        async (filters, cell, cursor, limit) => {
          await expectNo500('incidents.list', { filters, limit, ...(cell === null ? {} : { cell }), ...(cursor === null ? {} : { cursor }) }, counts);
        },
      ),
      { numRuns: 150, seed: 5, endOnFailure: true },
    );
    expect(counts[200] ?? 0).toBeGreaterThan(5);
  });

  it('stats.kpis never answers 500', async () => {
    const counts: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(filtersArb, async (filters) => {
        await expectNo500('stats.kpis', { filters }, counts);
      }),
      { numRuns: 60, seed: 9, endOnFailure: true },
    );
  });
});
