/**
 * Export buttons (issue 19): on a 1440x900 and a 1024x768 desktop, the filter panel's CSV button downloads every
 * incident of the current filter (as many rows as incidents.list counts for it), and the GeoJSON
 * button the hexagons; a filter change is carried into the download.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { signInAs, toggleFilter, waitForHexagons } from './support/driver.js';
import { downloadExport, listTotalForExportLink } from './support/export-driver.js';
import { useE2eSession } from './support/session.js';

const DESKTOPS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];

describe('export buttons (issue 19)', { timeout: 120_000 }, () => {
  const session = useE2eSession();

  test.each(DESKTOPS)("at $width x $height the CSV button downloads the filter's rows, and the GeoJSON its hexagons", async (viewport) => {
    const { page } = await session.newPage({ viewport });
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page);
    await toggleFilter(page, 'kind', 'accident');
    const csv = await downloadExport(page, 'csv');
    expect(JSON.parse(new URL(csv.href, 'http://x').searchParams.get('filters')!).kinds).toEqual(['accident']);
    const rows = parse<unknown>(csv.text, { bom: true, columns: true }); // quoted line breaks stay in their field
    expect(rows.length).toBe(await listTotalForExportLink(page, csv.href));
    expect(rows.length).toBeGreaterThan(0);
    expect(csv.name).toMatch(/\.csv$/);
    const geo = await downloadExport(page, 'geojson');
    const features = JSON.parse(geo.text).features as unknown[];
    expect(features.length).toBeGreaterThan(0);
  });
});
