/**
 * Live updates over real HTTP (issue 14): two signed-in clients, an analyst and the manager of
 * FZ-001, each read the SSE stream of `live.changes`. Incidents are ingested through the ingest
 * API and changed through `incidents.transition`. On DuckDB one server does everything; on
 * PostgreSQL two app instances share the database: ingest and changes go to one, the
 * subscribers sit on the other (LISTEN/NOTIFY carries the wake-up between them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { IncidentStore } from '../../server/store/types.js';
import { createPostgresDatabase } from '../support/engines.js';
import { apiRecord, postIncidents } from '../support/ingest-client.js';
import { openSse } from '../support/sse-client.js';
import type { SseEvent, SseStream } from '../support/sse-client.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

interface Setup {
  engine: string;
  /** [the instance written to, the instance subscribed to] (the same one on DuckDB) */
  start: () => Promise<[TestServer, TestServer]>;
}

function setups(): Setup[] {
  const list: Setup[] = [
    {
      engine: 'duckdb (one process)',
      async start() {
        const one = await startTestServer({ demo: 'none', env: { INGEST_RATE_PER_MINUTE: '1000' } });
        return [one, one];
      },
    },
  ];
  const pgUrl = inject('pgUrl');
  if (pgUrl) {
    list.push({
      engine: 'postgres (two instances)',
      async start() {
        const env = { DATABASE_URL: await createPostgresDatabase(pgUrl), INGEST_RATE_PER_MINUTE: '1000' };
        const writer = await startTestServer({ demo: 'none', env });
        const reader = await startTestServer({ demo: 'none', env });
        return [writer, reader];
      },
    });
  }
  return list;
}

async function seedWorld(store: IncidentStore) {
  const fuzhou = await store.upsertCity({ key: 'fuzhou', name: 'Fuzhou', tz: 'Asia/Shanghai', centerLat: 26.07, centerLng: 119.3 });
  const xiamen = await store.upsertCity({ key: 'xiamen', name: 'Xiamen', tz: 'Asia/Shanghai', centerLat: 24.48, centerLng: 118.09 });
  const [fz1] = await store.upsertStores([{ code: 'FZ-001', name: 'Gulou', cityId: fuzhou.id, lat: 26.08, lng: 119.29, radiusM: 3000 }]);
  const [xm1] = await store.upsertStores([{ code: 'XM-001', name: 'Siming', cityId: xiamen.id, lat: 24.48, lng: 118.09, radiusM: 3000 }]);
  await store.upsertUsers([
    { id: 'demo-analyst', name: 'Analyst', role: 'analyst', storeIds: [] },
    { id: 'demo-manager-fz', name: 'Manager FZ-001', role: 'store_manager', storeIds: [fz1!.id] },
  ]);
  return { fz1: fz1!, xm1: xm1! };
}

interface Change {
  type: string;
  id: number;
  storeId: number | null;
  status: string;
  cell: string;
}

const changeOf = (e: SseEvent): Change | null => {
  if (e.event !== 'message' || !e.data) return null;
  const data = JSON.parse(e.data) as Change;
  return data.type === 'incident.created' || data.type === 'incident.updated' ? data : null;
};
const changes = (s: SseStream, from = 0) => s.events.slice(from).map(changeOf).filter((c): c is Change => c !== null);

describe.each(setups())('live.changes over HTTP on $engine', ({ start }) => {
  let writer: TestServer;
  let reader: TestServer;
  let key: string;
  let places: Awaited<ReturnType<typeof seedWorld>>;
  const streams: SseStream[] = [];
  let n = 0;

  beforeAll(async () => {
    [writer, reader] = await start();
    places = await seedWorld(writer.store);
    key = (await writer.store.security.createApiKey('live test', 'test-admin')).key;
  }, 60_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    if (reader !== writer) await reader?.close();
    await writer?.close();
  });

  const signIn = async (baseUrl: string, userId: string) => {
    const client = httpClient(baseUrl);
    const res = await client.mutate('auth.devLogin', { userId });
    expect(res.status).toBe(200);
    return client;
  };
  const subscribe = async (cookie: string, input: Record<string, unknown> = {}) => {
    const url = `${reader.url}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify(input))}`;
    const stream = await openSse(url, { cookie });
    streams.push(stream);
    // the first event says where the stream starts (or, resumed, the first change)
    if (!('lastEventId' in input)) await stream.waitFor((e) => e.event === 'message' && JSON.parse(e.data).type === 'ready', 5000);
    return stream;
  };
  const ingest = async (store: 'FZ-001' | 'XM-001') => {
    const externalId = `live-${++n}`;
    const at = store === 'FZ-001' ? { lat: 26.0801, lng: 119.2902 } : { lat: 24.4801, lng: 118.0902 };
    // accidents: no AI review stands between them and the workflow
    const record = apiRecord({ source: 'api', externalId, kind: 'accident', category: 'vehicle_collision', severity: 3, ai: undefined, storeCode: store, ...at });
    const res = await postIncidents(writer.url, key, { incidents: [record] });
    expect(res.status).toBe(200);
    return (await writer.store.incidentBySourceKey('api', externalId, { all: true }))!;
  };

  it('delivers ingests and transitions within the scope, and resumes by lastEventId exactly once', async () => {
    const analyst = await signIn(reader.url, 'demo-analyst');
    const manager = await signIn(reader.url, 'demo-manager-fz');
    const analystStream = await subscribe(analyst.cookie);
    const managerStream = await subscribe(manager.cookie);

    // an FZ-001 incident reaches both within 2 s
    const startedMs = Date.now();
    const fz = await ingest('FZ-001');
    const isFz = (e: SseEvent) => changeOf(e)?.id === fz.id;
    await Promise.all([analystStream.waitFor(isFz, 2000), managerStream.waitFor(isFz, 2000)]);
    expect(Date.now() - startedMs).toBeLessThan(2000);
    expect(changeOf(await analystStream.waitFor(isFz, 1))).toMatchObject({
      type: 'incident.created',
      storeId: places.fz1.id,
      status: 'open',
      cell: fz.cell,
    });

    // an XM-001 incident reaches only the analyst; the next FZ-001 one shows the manager's
    // stream went past it (changes arrive in order)
    const managerMark = managerStream.events.length;
    const xm = await ingest('XM-001');
    await analystStream.waitFor((e) => changeOf(e)?.id === xm.id, 2000);
    const fz2 = await ingest('FZ-001');
    await managerStream.waitFor((e) => changeOf(e)?.id === fz2.id, 2000);
    expect(changes(managerStream, managerMark).map((c) => c.id)).toEqual([fz2.id]);
    expect(changes(managerStream).every((c) => c.storeId === places.fz1.id)).toBe(true);

    // a transition by the manager (on the writing instance) reaches the analyst with the new status
    const managerOnWriter = await signIn(writer.url, 'demo-manager-fz');
    const moved = await managerOnWriter.mutate('incidents.transition', { id: fz.id, to: 'assigned', expectedVersion: fz.version });
    expect(moved.status, await moved.clone().text()).toBe(200);
    const updated = await analystStream.waitFor((e) => changeOf(e)?.id === fz.id && changeOf(e)?.type === 'incident.updated', 2000);
    expect(changeOf(updated)).toMatchObject({ status: 'assigned', storeId: places.fz1.id });

    // the analyst's connection drops; changes happen meanwhile; a reconnect with the last id
    // gets exactly those, in order, once
    const seen = changes(analystStream).map((c) => c.id);
    const lastEventId = analystStream.events.filter((e) => e.id).at(-1)!.id!;
    analystStream.close();
    await analystStream.ended;
    const missed = [await ingest('FZ-001'), await ingest('XM-001')];
    const moved2 = await managerOnWriter.mutate('incidents.transition', { id: fz.id, to: 'in_progress', expectedVersion: fz.version + 1 });
    expect(moved2.status).toBe(200);
    missed.push(await ingest('FZ-001'));
    const resumed = await subscribe(analyst.cookie, { lastEventId });
    const last = missed.at(-1)!;
    await resumed.waitFor((e) => changeOf(e)?.id === last.id, 2000);
    // a further change: everything before it has surely arrived by then
    const after = await ingest('XM-001');
    await resumed.waitFor((e) => changeOf(e)?.id === after.id, 2000);
    const got = changes(resumed);
    expect(got.map((c) => [c.type, c.id, c.status])).toEqual([
      ['incident.created', missed[0]!.id, 'open'],
      ['incident.created', missed[1]!.id, 'open'],
      ['incident.updated', fz.id, 'in_progress'],
      ['incident.created', missed[2]!.id, 'open'],
      ['incident.created', after.id, 'open'],
    ]);
    const ids = resumed.events.filter((e) => changeOf(e)).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(seen).not.toContain(missed[0]!.id);
  }, 30_000);

  it('tells a client whose cursor is past the retention to refetch', async () => {
    const analyst = await signIn(reader.url, 'demo-analyst');
    await ingest('FZ-001');
    const head = (await writer.store.changeFeed.bounds()).head;
    // keep nothing: everything so far is pruned
    expect(await writer.store.changeFeed.prune(new Date(Date.now() + 60_000), { keepHours: 0, keepChanges: 0 })).toBeGreaterThan(0);
    const stream = await subscribe(analyst.cookie, { lastEventId: '1' });
    const first = await stream.waitFor((e) => e.event === 'message', 2000);
    expect(JSON.parse(first.data)).toEqual({ type: 'refetch', reason: 'gap' });
    expect(Number(first.id)).toBe(head);
    const next = await ingest('FZ-001');
    await stream.waitFor((e) => changeOf(e)?.id === next.id, 2000);
  });

  // tRPC answers a subscription with its SSE stream at once; a refusal is the stream's error event
  it('refuses bad input with the field named, and signed-out callers', async () => {
    const analyst = await signIn(reader.url, 'demo-analyst');
    const bad = await openSse(`${reader.url}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ lastEventId: 'abc' }))}`, { cookie: analyst.cookie });
    streams.push(bad);
    const badError = await bad.waitFor((e) => e.event === 'serialized-error', 2000);
    expect(JSON.parse(badError.data)).toMatchObject({ message: 'lastEventId: must be a change id (up to 15 digits)', data: { code: 'BAD_REQUEST' } });
    const anonymous = await openSse(`${reader.url}/trpc/live.changes?input=${encodeURIComponent('{}')}`);
    streams.push(anonymous);
    const anonymousError = await anonymous.waitFor((e) => e.event === 'serialized-error', 2000);
    expect(JSON.parse(anonymousError.data)).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(anonymous.events.filter((e) => e.event === 'message')).toEqual([]);
  });

  it('sends pings on an idle stream', async () => {
    const analyst = await signIn(reader.url, 'demo-analyst');
    const stream = await subscribe(analyst.cookie);
    await stream.waitFor((e) => e.event === 'ping', 8000);
  }, 15_000);
});
