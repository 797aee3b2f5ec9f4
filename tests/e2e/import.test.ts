/**
 * The admin page "Import" (issue 10) in a real browser: upload a small CSV made here, see the
 * progress bar and the report with rejected rows; a strict upload of the same file is refused
 * with its row numbers and stores nothing (the later import finds none of its rows stored).
 */
import { describe, expect, test } from 'vitest';
import { importOutcome, openAdmin, uploadImportFile } from './support/admin-driver.js';
import { signInAs } from './support/driver.js';
import { useE2eSession } from './support/session.js';

const HEADER = 'external_id,kind,category,severity,occurred_at,lat,lng,store_code,city';

/** 12 Fuzhou accidents (the small demo has the city), with a missing latitude at data row 3 and a bad severity at data row 8. */
function fileWithTwoBadRows(prefix: string): string {
  const rows = Array.from({ length: 12 }, (_, i) => `${prefix}-${i},accident,vehicle_collision,${(i % 4) + 1},2025-03-0${(i % 9) + 1}T08:1${i % 10}:00+08:00,${(26.07 + i * 1e-3).toFixed(4)},119.30,,fuzhou`);
  rows[2] = `${prefix}-bad-lat,accident,vehicle_collision,2,2025-03-02T08:00:00+08:00,,119.30,,fuzhou`;
  rows[7] = `${prefix}-bad-sev,accident,vehicle_collision,7,2025-03-02T08:00:00+08:00,26.08,119.30,,fuzhou`;
  return `${[HEADER, ...rows].join('\n')}\n`;
}

describe('import page (issue 10)', () => {
  const session = useE2eSession();

  test('a bad file is refused with its row numbers and nothing stored; then imported with the report', { timeout: 180_000 }, async () => {
    const { page, consoleErrors } = await session.newPage();
    await signInAs(page, 'demo-admin');
    await openAdmin(page, 'import');
    const file = { name: 'march.csv', content: fileWithTwoBadRows(`e2e-import-${Date.now()}`) };

    const refused = await importOutcome(page, await uploadImportFile(page, file, { profile: 'hexwatch', strict: true }));
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/march\.csv: 2 of 12 rows rejected \(row 3: lat: .*; row 8: severity: .*\); nothing was imported/);
    expect(refused.rejectedRows).toEqual([
      [3, 'lat'],
      [8, 'severity'],
    ]);

    const done = await importOutcome(page, await uploadImportFile(page, file, { profile: 'hexwatch', strict: false }));
    expect(done.state).toBe('done');
    expect(done.rowsRead).toBe(12);
    expect(done.progress).toBe(1);
    // all ten good rows are new: the refused upload stored none of them
    expect(done).toMatchObject({ imported: 10, duplicates: 0, rejectedCount: 2 });
    expect(done.rejectedRows).toEqual([
      [3, 'lat'],
      [8, 'severity'],
    ]);
    expect(consoleErrors).toEqual([]);
  });
});
