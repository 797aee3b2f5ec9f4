/**
 * Bitable sync against the local fake Feishu: paging, a 429 waited out per its reset header,
 * the field mapping (GCJ-02 "lng,lat" locations, ms dates, single selects to categories),
 * unmappable rows reported, and incremental runs by last-modified time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearFeishuTokenCache } from '../../server/feishu/auth/client.js';
import { MappingSchema } from '../../server/feishu/bitable/mapping.js';
import { syncBitable } from '../../server/feishu/bitable/sync.js';
import { gcj02ToWgs84 } from '../../server/ingest/coords.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { FAKE_ATTACHMENT_PNG, startFakeFeishuAuth } from '../support/fake-feishu-auth.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';
import type { FakeBitableRecord, FakeFeishuAuth } from '../support/fake-feishu-auth.js';
import { seedPlaces } from '../support/fixtures.js';

const MAPPING = MappingSchema.parse({
  modifiedField: '修改时间',
  fields: {
    kind: { field: '类型', values: { 事故: 'accident', 骑行例外: 'exception' } },
    category: { field: '类别', values: { 闯红灯: 'red_light', 逆行: 'wrong_way', 未戴头盔: 'no_helmet', 电动车碰撞: 'non_motor_collision' } },
    severity: { field: '严重程度', values: { 轻微: '1', 一般: '2', 严重: '3', 特别严重: '4' } },
    occurredAt: '发生时间',
    location: '位置',
    storeCode: '门店',
    description: '描述',
    photos: '照片',
  },
});

const T0 = Date.parse('2024-05-01T00:30:00Z');
/** The fake's address, for attachment URLs (set once it listens). */
const FAKE_URL = { value: '' };

function record(id: string, modified: number, fields: Record<string, unknown> = {}): FakeBitableRecord {
  return {
    record_id: id,
    created_time: modified,
    last_modified_time: modified,
    fields: {
      类型: '骑行例外',
      类别: '闯红灯',
      严重程度: '一般',
      发生时间: T0,
      位置: { location: '119.2951,26.0768', cityname: '福州市', full_address: '福建省福州市鼓楼区' },
      门店: [{ type: 'text', text: 'FZ-001' }],
      描述: [{ type: 'text', text: '路口' }, { type: 'text', text: '闯红灯' }],
      照片: [{ file_token: 'boxf1', name: 'a.png', type: 'image/png', size: 68, url: `${FAKE_URL.value}/open-apis/drive/v1/medias/boxf1/download`, tmp_url: '' }],
      ...fields,
    },
  };
}

describe('Bitable sync', () => {
  let fake: FakeFeishuAuth;
  let store: DuckDbStore;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const config = () => ({ baseUrl: fake.url, appId: fake.appId, appSecret: fake.appSecret });

  beforeAll(async () => {
    clearFeishuTokenCache();
    fake = await startFakeFeishuAuth();
    FAKE_URL.value = fake.url;
    store = await DuckDbStore.open(':memory:');
    await store.migrate();
    await seedPlaces(store);
  });
  afterAll(async () => {
    await store?.close();
    await fake?.close();
  });

  it('pulls every page, waits out a 429, maps the fields and reports rows it cannot map', async () => {
    const records = [
      record('rec1', 1000),
      record('rec2', 1001, { 类型: '事故', 类别: '电动车碰撞', 严重程度: '严重' }),
      record('rec3', 1002, { 类别: '超速' }), // not in the mapping's values
      record('rec4', 1003, { 位置: { location: 'somewhere' } }),
      record('rec5', 1004, { 发生时间: undefined }),
    ];
    fake.setBitableTable('bascn1', 'tbl1', records);
    fake.rateLimitBitable(1);
    const report = await syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl1', mapping: MAPPING, pageSize: 2, sleep });
    expect(sleeps).toEqual([1000]);
    expect(report).toMatchObject({ pages: 3, records: 5, inserted: 2, duplicates: 0, watermark: 1004 });
    expect(report.rejected.map((r) => `${r.recordId} ${r.field}`)).toEqual(['rec3 category', 'rec4 location', 'rec5 occurredAt']);

    const rec1 = (await store.incidentBySourceKey('bitable', 'rec1', { all: true }))!;
    const [lng, lat] = gcj02ToWgs84([119.2951, 26.0768]);
    expect(rec1.lat).toBeCloseTo(lat, 6);
    expect(rec1.lng).toBeCloseTo(lng, 6);
    expect(rec1).toMatchObject({ kind: 'exception', category: 'red_light', severity: 2, description: '路口闯红灯', photoUrls: ['/media/feishu/rec1/boxf1'] });
    expect(rec1.occurredAt.getTime()).toBe(T0);
    const rec2 = (await store.incidentBySourceKey('bitable', 'rec2', { all: true }))!;
    expect(rec2).toMatchObject({ kind: 'accident', category: 'non_motor_collision', severity: 3 });
  });

  it('reads only records modified since the last run', async () => {
    const before = fake.requests.filter((r) => r.includes('/records/search')).length;
    fake.setBitableTable('bascn1', 'tbl1', [
      record('rec1', 1000),
      record('rec3', 2000, { 类别: '逆行' }), // fixed in Bitable since the last run
      record('rec6', 2001),
    ]);
    const report = await syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl1', mapping: MAPPING, sleep });
    // Feishu is asked from a day before the watermark (its date filters count whole days): rec1
    // comes back, and is skipped here as unchanged
    expect(report).toMatchObject({ records: 3, unchanged: 1, inserted: 2, rejected: [], watermark: 2001 });
    expect((await store.incidentBySourceKey('bitable', 'rec3', { all: true }))?.category).toBe('wrong_way');
    expect(fake.requests.filter((r) => r.includes('/records/search')).length).toBe(before + 1);
    const again = await syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl1', mapping: MAPPING, sleep });
    expect(again).toMatchObject({ records: 3, unchanged: 3, inserted: 0 });
  });

  it('keeps the watermark when the run fails, so the rows are read again', async () => {
    fake.setBitableTable('bascn1', 'tbl2', [record('rec9', 5000)]);
    fake.rateLimitBitable(20);
    await expect(syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl2', mapping: MAPPING, sleep })).rejects.toThrow(/rate limit/);
    expect(await store.getMeta('bitable.watermark.bascn1.tbl2')).toBeNull();
    expect(await store.incidentBySourceKey('bitable', 'rec9', { all: true })).toBeNull();
    fake.rateLimitBitable(0);
    expect((await syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl2', mapping: MAPPING, sleep })).inserted).toBe(1);
  });

  it('imports a record modified later on the watermark\'s own day (Feishu filters dates by day)', async () => {
    // 10:00 and 15:00 on 2024-05-02 in China: the same day for Feishu's isGreater on dates
    const morning = Date.parse('2024-05-02T02:00:00Z');
    const afternoon = Date.parse('2024-05-02T07:00:00Z');
    fake.setBitableTable('bascn1', 'tbl3', [record('recA', morning)]);
    expect((await syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl3', mapping: MAPPING, sleep })).watermark).toBe(morning);
    fake.setBitableTable('bascn1', 'tbl3', [record('recA', morning), record('recB', afternoon)]);
    const next = await syncBitable(store, config(), { appToken: 'bascn1', tableId: 'tbl3', mapping: MAPPING, sleep });
    expect(next).toMatchObject({ inserted: 1, unchanged: 1, watermark: afternoon });
    expect(await store.incidentBySourceKey('bitable', 'recB', { all: true })).not.toBeNull();
  });
});

describe('Bitable photos through the app', () => {
  let fake: FakeFeishuAuth;
  let server: TestServer;

  beforeAll(async () => {
    clearFeishuTokenCache();
    fake = await startFakeFeishuAuth();
    FAKE_URL.value = fake.url;
    server = await startTestServer({
      demo: 'none',
      env: { AUTH_MODE: 'dev', FEISHU_APP_ID: fake.appId, FEISHU_APP_SECRET: fake.appSecret, FEISHU_BASE_URL: fake.url },
    });
    const places = await seedPlaces(server.store);
    await server.store.upsertUsers([
      { id: 'demo-photo-analyst', name: 'Photo Analyst', role: 'analyst', storeIds: [] },
      { id: 'demo-photo-other', name: 'Other Manager', role: 'store_manager', storeIds: [places.fz2.id] },
    ]);
    fake.setBitableTable('bascn9', 'tblP', [record('recP', Date.parse('2024-05-03T02:00:00Z'))]);
    const config = { baseUrl: fake.url, appId: fake.appId, appSecret: fake.appSecret };
    expect((await syncBitable(server.store, config, { appToken: 'bascn9', tableId: 'tblP', mapping: MAPPING })).inserted).toBe(1);
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('serves the attachment with the tenant token to those who may see the incident', async () => {
    const incident = (await server.store.incidentBySourceKey('bitable', 'recP', { all: true }))!;
    const path = incident.photoUrls[0]!;
    expect(path).toBe('/media/feishu/recP/boxf1');
    // the record's own url needs the tenant token: a browser could never load it
    expect((await fetch(`${fake.url}/open-apis/drive/v1/medias/boxf1/download`)).status).toBe(400);

    expect((await fetch(`${server.url}${path}`)).status).toBe(401);
    const analyst = httpClient(server.url);
    await analyst.mutate('auth.devLogin', { userId: 'demo-photo-analyst' });
    const photo = await analyst.call(path);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(FAKE_ATTACHMENT_PNG)).toBe(true);
    // another store's manager, and a file token the incident does not list: not found
    const other = httpClient(server.url);
    await other.mutate('auth.devLogin', { userId: 'demo-photo-other' });
    expect((await other.call(path)).status).toBe(404);
    expect((await analyst.call('/media/feishu/recP/boxother')).status).toBe(404);
  });
});
