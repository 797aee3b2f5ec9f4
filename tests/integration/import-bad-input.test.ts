/**
 * Bad input: single bad rows are reported (row number, field) and the rest imported; a refused
 * header, a truncated gzip or a CSV syntax error store nothing at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError, importFile } from '../../server/ingest/import-file.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hexwatch-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'external_id,kind,category,severity,occurred_at,lat,lng,store_code,city';

/** n valid Fuzhou accidents, ids `<prefix>-<i>`. */
function validRows(n: number, prefix: string): string[] {
  return Array.from({ length: n }, (_, i) => {
    const minute = String(i % 60).padStart(2, '0');
    return `${prefix}-${i},accident,vehicle_collision,${(i % 4) + 1},2025-03-0${(i % 9) + 1}T08:${minute}:00+08:00,${(26.07 + (i % 100) * 1e-4).toFixed(4)},119.30,,fuzhou`;
  });
}

function write(name: string, lines: string[] | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, Array.isArray(lines) ? lines.join('\n') + '\n' : lines);
  return path;
}

async function snapshot(store: IncidentStore) {
  return {
    totals: await store.incidentTotals({ all: true }),
    cities: await store.listCities(),
    stores: await store.listStores({ all: true }),
  };
}

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected the import to be refused or aborted');
}

describe.each(engines())('import of bad input on $engine', ({ open }) => {
  let store: IncidentStore;
  beforeEach(async () => {
    store = await open();
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
    await importFile(store, { profile: 'hexwatch', file: join(SAMPLES, 'incidents-example.csv') });
  });
  afterEach(async () => {
    await store.close();
  });

  it('reports bad rows by data row number and field, and imports the rest', async () => {
    const before = await snapshot(store);
    const [ok1, ok2, ok3] = validRows(3, 'bad-rows');
    const file = write('bad-rows.csv', [
      HEADER,
      ok1!, // row 1
      'b-lat,accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,200,119.30,,fuzhou',
      'b-time,accident,vehicle_collision,2,,26.07,119.30,,fuzhou',
      'b-sev,accident,vehicle_collision,7,2025-03-01T08:00:00+08:00,26.07,119.30,,fuzhou',
      'b-num,accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,26.07,east,,fuzhou', // row 5
      'b-cat,accident,red_light,2,2025-03-01T08:00:00+08:00,26.07,119.30,,fuzhou',
      'b-count,accident,vehicle_collision,2',
      ok2!,
      'b-city,accident,vehicle_collision,2,2025-03-01T08:00:00+08:00,26.07,119.30,,atlantis',
      ok3!, // row 10
      ok1!, // repeated in the file
    ]);
    const report = await importFile(store, { profile: 'hexwatch', file });
    expect(report).toMatchObject({ rowsRead: 11, imported: 3, duplicates: 1, rejectedCount: 7 });
    expect(report.rejected.map((r) => [r.row, r.field])).toEqual([
      [2, 'lat'],
      [3, 'occurred_at'],
      [4, 'severity'],
      [5, 'lng'],
      [6, 'category'],
      [7, 'row'],
      [9, 'city'],
    ]);
    expect(report.rejected.map((r) => r.reason)).toEqual([
      'lat: is outside -90..90 (got "200")',
      'occurred_at: is empty',
      'severity: is outside 1..4 (got "7")',
      'lng: is not a number (got "east")',
      expect.stringMatching(/^category: is not one of the accident categories .* \(got "red_light"\)$/),
      'row: has fewer fields than the header (got "4 of 9")',
      'city: is not a known city key (got "atlantis")',
    ]);
    const after = await snapshot(store);
    // only the three valid rows were added (severities 1, 2, 3)
    expect(after.totals.total).toBe(before.totals.total + 3);
    expect(after.totals.bySeverity).toEqual({
      1: before.totals.bySeverity[1] + 1,
      2: before.totals.bySeverity[2] + 1,
      3: before.totals.bySeverity[3] + 1,
      4: before.totals.bySeverity[4],
    });
    expect(await store.incidentBySourceKey('import', 'b-lat', { all: true })).toBeNull();
  });

  it('refuses a wrong header, naming the columns, and stores nothing', async () => {
    const before = await snapshot(store);
    const file = write('wrong-header.csv', [HEADER.replace('occurred_at', 'ocurred_at'), ...validRows(5, 'wh')]);
    const error = await refusal(importFile(store, { profile: 'hexwatch', file }));
    expect(error.code).toBe('refused');
    expect(error.message).toContain('header does not fit the hexwatch profile: missing required column occurred_at; unknown column "ocurred_at"');
    expect(await snapshot(store)).toEqual(before);
  });

  it('refuses the HK file read with the wrong profile, and the hk-td profile does not create its city for a wrong header', async () => {
    const before = await snapshot(store);
    const hk = write('hk-wrong.csv', ['id,occurred_at,severity,lat,lng,collision_type', '1,2014-01-01T02:17:00+08:00,Serious,22.28,114.22,Vehicle collision with Object']);
    const error = await refusal(importFile(store, { profile: 'hk-td', file: hk }));
    expect(error.message).toMatch(/missing required columns latitude, longitude; unknown columns "lat", "lng"/);
    expect(await snapshot(store)).toEqual(before);
  });

  it('aborts a truncated gzip after batches were written, rolls back and stores nothing', async () => {
    const before = await snapshot(store);
    const whole = gzipSync(Buffer.from([HEADER, ...validRows(30_000, 'trunc')].join('\n') + '\n'));
    const file = write('truncated.csv.gz', whole.subarray(0, Math.floor(whole.length * 0.8)));
    const error = await refusal(importFile(store, { profile: 'hexwatch', file, batchSize: 1_000 }));
    expect(error.code).toBe('aborted');
    expect(error.message).toMatch(/the gzip file is truncated \(unexpected end of file\) after data row \d+; nothing was imported \(rolled back\)/);
    // several batches had reached the writer before the end of the file
    expect(Number(/after data row (\d+)/.exec(error.message)![1])).toBeGreaterThan(5_000);
    expect(await snapshot(store)).toEqual(before);
    expect(await store.incidentBySourceKey('import', 'trunc-0', { all: true })).toBeNull();
  });

  it('imports the same file whole when it is not truncated', async () => {
    const file = write('whole.csv.gz', gzipSync(Buffer.from([HEADER, ...validRows(12_000, 'whole')].join('\n') + '\n')));
    const report = await importFile(store, { profile: 'hexwatch', file, batchSize: 1_000 });
    expect(report).toMatchObject({ rowsRead: 12_000, imported: 12_000, rejectedCount: 0 });
  });

  it('aborts on a CSV syntax error (unclosed quote) and stores nothing', async () => {
    const before = await snapshot(store);
    const file = write('unclosed.csv', [HEADER, ...validRows(3_000, 'quote'), 'q-1,accident,"vehicle_collision,2,2025-03-01T08:00:00+08:00,26.07,119.30,,fuzhou']);
    const error = await refusal(importFile(store, { profile: 'hexwatch', file, batchSize: 500 }));
    expect(error.code).toBe('aborted');
    expect(error.message).toMatch(/CSV syntax error: .*quote.*rolled back/i);
    expect(await snapshot(store)).toEqual(before);
  });

  it('refuses an empty file, a missing file and an unknown profile', async () => {
    const before = await snapshot(store);
    expect((await refusal(importFile(store, { profile: 'hexwatch', file: write('empty.csv', Buffer.alloc(0)) }))).message).toContain('is empty: expected a header row');
    expect((await refusal(importFile(store, { profile: 'hexwatch', file: join(dir, 'nope.csv') }))).message).toContain('no such file');
    expect((await refusal(importFile(store, { profile: 'excel', file: join(SAMPLES, 'stores-example.csv') }))).message).toContain('unknown profile "excel"');
    expect(await snapshot(store)).toEqual(before);
  });

  it('prints progress at most once per interval', async () => {
    const file = write('progress.csv', [HEADER, ...validRows(20_000, 'prog')]);
    const lines: string[] = [];
    const started = Date.now();
    await importFile(store, { profile: 'hexwatch', file, log: (l) => lines.push(l), progressIntervalMs: 50 });
    const elapsed = Date.now() - started;
    const progress = lines.filter((l) => /rows\/s$/.test(l));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(elapsed / 50 + 1);
    expect(progress[0]).toMatch(/^ {2}[\d,]+ rows, [\d,]+ rows\/s$/);
    expect(lines.at(-1)).toBe('  20,000 rows read; committing');
  });
});

