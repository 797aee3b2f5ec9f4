/**
 * The hk-td profile on the real Hong Kong file (../shared/data/hk-accidents/): every row with
 * coordinates imported, the rest reported, counts by severity equal to the file's own, and a
 * second import adds nothing.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/ingest/import-file.js';
import type { ImportReport } from '../../server/ingest/import-file.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';

const HK_FILE = new URL('../../../shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz', import.meta.url).pathname;

/** The file's own counts, read without the importer: rows with both coordinates, by severity label. */
function fileCounts(): { rows: number; withCoords: number; bySeverity: Record<string, number>; firstWithout: number[] } {
  const records = parse<Record<string, string>>(gunzipSync(readFileSync(HK_FILE)), { columns: true });
  const bySeverity: Record<string, number> = {};
  const firstWithout: number[] = [];
  let withCoords = 0;
  records.forEach((r, i) => {
    if (r.latitude === '' || r.longitude === '') {
      if (firstWithout.length < 5) firstWithout.push(i + 1);
      return;
    }
    withCoords++;
    bySeverity[r.severity!] = (bySeverity[r.severity!] ?? 0) + 1;
  });
  return { rows: records.length, withCoords, bySeverity, firstWithout };
}

// Citus: the same writer is covered by the storage suites there; 95k / 10k rows through it add a minute
describe.each(engines({ citus: false }))('hk-td import of the real file on $engine', ({ open }) => {
  let store: IncidentStore;
  let first: ImportReport;
  const expected = fileCounts();

  beforeAll(async () => {
    store = await open();
    first = await importFile(store, { profile: 'hk-td', file: HK_FILE, batchSize: 10_000 });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  it('matches the published counts', () => {
    expect(expected).toMatchObject({ rows: 95_821, withCoords: 89_828 });
  });

  it('imports every row with coordinates and reports the 5,993 without, by row number', () => {
    expect(first).toMatchObject({ rowsRead: 95_821, imported: 89_828, duplicates: 0, rejectedCount: 5_993 });
    expect(first.rejected).toHaveLength(5_993);
    expect(first.rejectedByReason).toEqual({ 'latitude/longitude: empty (no coordinates)': 5_993 });
    expect(first.rejected.slice(0, 5).map((r) => r.row)).toEqual(expected.firstWithout);
    expect(first.rejected[0]!.reason).toBe('latitude/longitude: empty (no coordinates)');
  });

  it('stores counts by severity equal to the file (Fatal 4, Serious 3, Slight 2), all in Hong Kong', async () => {
    const hk = (await store.listCities()).find((c) => c.key === 'hong-kong');
    expect(hk).toMatchObject({ tz: 'Asia/Hong_Kong', centerLat: 22.32, centerLng: 114.17 });
    const totals = await store.incidentTotals({ all: true }, { source: 'import' });
    expect(totals).toEqual({
      total: expected.withCoords,
      bySeverity: { 1: 0, 2: expected.bySeverity.Slight, 3: expected.bySeverity.Serious, 4: expected.bySeverity.Fatal },
    });
    expect(await store.incidentTotals({ all: true }, { source: 'import', cityId: hk!.id })).toEqual(totals);
  });

  it('stores a record as documented', async () => {
    const i = await store.incidentBySourceKey('import', 'hk-td-4', { all: true });
    expect(i).toMatchObject({
      kind: 'accident',
      category: 'vehicle_collision',
      severity: 2,
      lat: 22.503214,
      lng: 114.123525,
      status: 'closed',
      resolution: 'no_action_needed',
      description: 'PO SHEK WU ROAD (North); vehicle collision with vehicle; 3 vehicles, 2 casualties; hit and run; Dull, Dark, Main Road',
    });
    expect(i!.occurredAt.toISOString()).toBe('2013-12-31T21:22:00.000Z');
  });

  it('adds nothing on a second import', async () => {
    const again = await importFile(store, { profile: 'hk-td', file: HK_FILE, batchSize: 10_000 });
    expect(again).toMatchObject({ rowsRead: 95_821, imported: 0, duplicates: 89_828, rejectedCount: 5_993 });
    expect((await store.incidentTotals({ all: true }, { source: 'import' })).total).toBe(89_828);
    expect((await store.listCities()).filter((c) => c.key === 'hong-kong')).toHaveLength(1);
  }, 120_000);
});
