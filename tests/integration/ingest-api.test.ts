/**
 * POST /api/v1/incidents over real HTTP on both engines: API keys (401, revocation), idempotent
 * batches, whole-batch refusal with per-record errors, size (413) and rate (429) limits, and the
 * OpenAPI description.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '../../server/ingest/coords.js';
import { distanceM } from '../../server/domain/geo.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord, postIncidents, serverEngines } from '../support/ingest-client.js';
import type { TestServer } from '../support/test-server.js';

describe.each(serverEngines())('ingest API on $engine', ({ start }) => {
  let server: TestServer;
  let key: string;
  let places: Awaited<ReturnType<typeof seedPlaces>>;

  beforeAll(async () => {
    server = await start({ INGEST_RATE_PER_MINUTE: '1000' });
    places = await seedPlaces(server.store);
    key = (await server.store.security.createApiKey('vision pipeline', 'test-admin')).key;
  });
  afterAll(async () => {
    await server?.close();
  });

  const count = async () => (await server.store.incidentTotals({ all: true })).total;

  it('refuses requests without a valid key with 401 and reads no body', async () => {
    for (const auth of [null, 'hwk_nope_nope', 'Bearer', key.slice(0, -2)]) {
      const res = await postIncidents(server.url, auth, { incidents: [apiRecord()] });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const basic = await postIncidents(server.url, null, { incidents: [apiRecord()] }, { authorization: `Basic ${key}` });
    expect(basic.status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('stores a batch once: a re-sent batch adds nothing', async () => {
    const batch = {
      incidents: [
        apiRecord({ externalId: 'det-a' }),
        // no storeCode: the nearest store covering the point (FZ-002 at 26.05, 119.31)
        apiRecord({ externalId: 'det-b', storeCode: undefined, lat: 26.0502, lng: 119.3101 }),
        apiRecord({ source: 'api', externalId: 'acc-1', kind: 'accident', category: 'vehicle_collision', severity: 4, ai: undefined, photoUrls: [] }),
      ],
    };
    const first = await postIncidents(server.url, key, batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 3, inserted: 3, duplicates: 0 });
    const again = await postIncidents(server.url, key, batch);
    expect(await again.json()).toEqual({ received: 3, inserted: 0, duplicates: 3 });
    expect(await count()).toBe(3);

    const a = (await server.store.incidentBySourceKey('ai_vision', 'det-a', { all: true }))!;
    expect(a).toMatchObject({ storeId: places.fz1.id, cityId: places.fuzhou.id, review: 'pending', aiLabel: 'no_helmet', aiConfidence: 0.93, status: 'open' });
    expect(a.occurredAt.toISOString()).toBe('2024-05-01T00:30:00.000Z');
    expect(a.photoUrls).toEqual(['https://cdn.example.com/a.jpg']);
    const b = (await server.store.incidentBySourceKey('ai_vision', 'det-b', { all: true }))!;
    expect(b.storeId).toBe(places.fz2.id);
    const acc = (await server.store.incidentBySourceKey('api', 'acc-1', { all: true }))!;
    // severity 4: due 24 h after occurrence (default SLA)
    expect(acc.dueAt!.getTime() - acc.occurredAt.getTime()).toBe(24 * 3_600_000);
    expect(acc.review).toBeNull();
    const detail = (await server.store.incidentById(acc.id, { all: true }))!;
    expect(detail.events).toMatchObject([{ actor: 'api:vision pipeline', toStatus: 'open', fromStatus: null }]);
  });

  it('converts GCJ-02 input to WGS-84', async () => {
    const res = await postIncidents(server.url, key, { incidents: [apiRecord({ externalId: 'gcj-1', coords: 'gcj02', lat: 26.0801, lng: 119.2902 })] });
    expect(res.status).toBe(200);
    const stored = (await server.store.incidentBySourceKey('ai_vision', 'gcj-1', { all: true }))!;
    const [lng, lat] = gcj02ToWgs84([119.2902, 26.0801]);
    expect(stored.lat).toBeCloseTo(lat, 6);
    expect(stored.lng).toBeCloseTo(lng, 6);
    // the GCJ-02 offset is a few hundred metres: a stored copy of the input would be far off
    expect(distanceM(stored.lat, stored.lng, 26.0801, 119.2902)).toBeGreaterThan(100);
  });

  it('refuses a batch with one bad record whole, listing each error by index and field', async () => {
    const before = await count();
    const res = await postIncidents(server.url, key, {
      incidents: [
        apiRecord({ externalId: 'ok-1' }),
        apiRecord({ externalId: 'bad-1', category: 'vehicle_collision' }), // not an exception category
        apiRecord({ externalId: 'bad-2', occurredAt: '2024-05-01 08:30', lat: 91 }),
        apiRecord({ externalId: 'bad-3', storeCode: 'NOPE' }),
        apiRecord({ externalId: 'bad-4', ai: { label: 'x', confidence: 1.5 }, extra: 1 }),
      ],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; errors: Array<{ index: number; field: string; message: string }> };
    expect(body.error).toMatch(/4 of 5 records are invalid; nothing was stored/);
    const pairs = body.errors.map((e) => `${e.index}:${e.field}`);
    expect(pairs).toEqual(expect.arrayContaining(['1:category', '2:lat', '3:storeCode', '4:ai.confidence', '4:extra']));
    expect(body.errors.every((e) => e.message.length > 0)).toBe(true);
    expect(body.errors.some((e) => e.index === 0)).toBe(false);
    expect(await count()).toBe(before);
    expect(await server.store.incidentBySourceKey('ai_vision', 'ok-1', { all: true })).toBeNull();
  });

  it('names the time field when the time has no offset', async () => {
    const res = await postIncidents(server.url, key, { incidents: [apiRecord({ externalId: 't-1', occurredAt: '2024-05-01T08:30:00' })] });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: Array<{ index: number; field: string; message: string }> };
    expect(body.errors).toEqual([{ index: 0, field: 'occurredAt', message: expect.stringMatching(/ISO time with offset/) }]);
  });

  it('refuses a wrong envelope, non-JSON and the wrong content type', async () => {
    expect((await postIncidents(server.url, key, [apiRecord()])).status).toBe(422);
    expect((await postIncidents(server.url, key, { incidents: [] })).status).toBe(422);
    expect((await postIncidents(server.url, key, { incidents: [apiRecord()], more: 1 })).status).toBe(422);
    expect((await postIncidents(server.url, key, '{"incidents": [')).status).toBe(400);
    const form = await postIncidents(server.url, key, 'incidents=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('answers 413 above 5,000 records and above the body size limit', async () => {
    const before = await count();
    const many = { incidents: Array.from({ length: 5001 }, (_, k) => apiRecord({ externalId: `m-${k}` })) };
    const tooMany = await postIncidents(server.url, key, many);
    expect(tooMany.status).toBe(413);
    const huge = JSON.stringify({ incidents: [apiRecord({ description: 'x'.repeat(10 * 1024 * 1024) })] });
    const tooBig = await postIncidents(server.url, key, huge);
    expect(tooBig.status).toBe(413);
    expect(await count()).toBe(before);
  });

  it('accepts exactly 5,000 records in one batch', async () => {
    const before = await count();
    const batch = { incidents: Array.from({ length: 5000 }, (_, k) => apiRecord({ externalId: `big-${k}`, lat: 26.08 + (k % 50) * 0.0002 })) };
    const res = await postIncidents(server.url, key, batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ inserted: 5000 });
    expect(await count()).toBe(before + 5000);
  });

  it('stops accepting a key once revoked', async () => {
    const made = await server.store.security.createApiKey('temporary', 'test-admin');
    expect((await postIncidents(server.url, made.key, { incidents: [apiRecord({ externalId: 'rv-1' })] })).status).toBe(200);
    await server.store.security.revokeApiKey(made.id);
    expect((await postIncidents(server.url, made.key, { incidents: [apiRecord({ externalId: 'rv-2' })] })).status).toBe(401);
    const listed = await server.store.security.listApiKeys();
    expect(listed.find((k) => k.id === made.id)?.revokedAt).toBeInstanceOf(Date);
    expect(listed.find((k) => k.id === made.id)?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('serves the OpenAPI description of the endpoint', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/incidents'].post.responses)).toEqual(expect.arrayContaining(['200', '401', '413', '422', '429']));
    expect(doc.components.schemas.IncidentRecord.required).toEqual(
      expect.arrayContaining(['source', 'externalId', 'kind', 'category', 'severity', 'occurredAt', 'lat', 'lng']),
    );
  });
});

describe('ingest API rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverEngines()[0]!.start({ INGEST_RATE_PER_MINUTE: '2' });
    await seedPlaces(server.store);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 with Retry-After above the per-key rate, and counts each key apart', async () => {
    const a = (await server.store.security.createApiKey('a', 'test')).key;
    const b = (await server.store.security.createApiKey('b', 'test')).key;
    const statuses = [];
    for (let k = 0; k < 3; k++) statuses.push((await postIncidents(server.url, a, { incidents: [apiRecord({ externalId: `r-${k}` })] })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await postIncidents(server.url, a, { incidents: [apiRecord({ externalId: 'r-x' })] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await server.store.incidentBySourceKey('ai_vision', 'r-x', { all: true })).toBeNull();
    expect((await postIncidents(server.url, b, { incidents: [apiRecord({ externalId: 'r-b' })] })).status).toBe(200);
  });
});
