/**
 * What an import page needs from the import (issue 10): progress as rows read and bytes read of
 * the file's size (compressed bytes for .gz), and cancellation that stores nothing.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError, importFile } from '../../server/ingest/import-file.js';
import type { ImportProgress } from '../../server/ingest/import-file.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url).pathname;
const ROWS = 2_500;

describe.each(engines())('import progress and cancellation on $engine', ({ open }) => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-progress-'));
  const csv = join(dir, 'incidents.csv');
  const gz = join(dir, 'incidents.csv.gz');
  let store: IncidentStore;

  beforeAll(async () => {
    const lines = ['external_id,kind,category,severity,occurred_at,lat,lng,store_code'];
    for (let i = 0; i < ROWS; i++) {
      lines.push(`p-${i},accident,vehicle_collision,${1 + (i % 4)},2025-03-01T08:${String(i % 60).padStart(2, '0')}:00+08:00,${(26.05 + (i % 50) * 0.001).toFixed(4)},119.30,FZ-GL01`);
    }
    const text = `${lines.join('\n')}\n`;
    writeFileSync(csv, text);
    writeFileSync(gz, gzipSync(text));
    store = await open();
    await importFile(store, { profile: 'stores', file: join(SAMPLES, 'stores-example.csv') });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports rows and bytes after each batch, ending at the whole file (plain and gzip)', async () => {
    for (const [file, source] of [[csv, 'plain'], [gz, 'gzip']] as const) {
      const seen: ImportProgress[] = [];
      const report = await importFile(store, { profile: 'hexwatch', file, batchSize: 500, onProgress: (p) => seen.push(p) });
      expect(report.rowsRead, source).toBe(ROWS);
      const size = statSync(file).size;
      expect(seen.length, source).toBe(ROWS / 500 + 1);
      expect(seen.map((p) => p.rowsRead).slice(0, 5)).toEqual([500, 1000, 1500, 2000, 2500]);
      expect(seen.every((p) => p.totalBytes === size)).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);
      expect(seen.at(-1)).toEqual({ rowsRead: ROWS, bytesRead: size, totalBytes: size });
    }
    expect((await store.incidentTotals({ all: true })).total).toBe(ROWS); // the gzip copy added nothing new
  });

  it('stops when cancelled and stores nothing of the file', async () => {
    const before = (await store.incidentTotals({ all: true })).total;
    const file = join(dir, 'other.csv');
    writeFileSync(file, readFileSync(csv, 'utf8').replaceAll('p-', 'q-'));
    const abort = new AbortController();
    const calls: number[] = [];
    const importing = importFile(store, {
      profile: 'hexwatch',
      file,
      batchSize: 500,
      signal: abort.signal,
      onProgress: (p) => {
        calls.push(p.rowsRead);
        if (p.rowsRead >= 1000) abort.abort();
      },
    });
    await expect(importing).rejects.toBeInstanceOf(ImportError);
    await expect(importing).rejects.toMatchObject({ code: 'aborted', message: expect.stringMatching(/cancelled after data row 1500; nothing was imported \(rolled back\)/) });
    expect(calls).toEqual([500, 1000]);
    expect((await store.incidentTotals({ all: true })).total).toBe(before);
  });
});
