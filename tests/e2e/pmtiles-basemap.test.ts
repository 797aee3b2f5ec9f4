/**
 * The PMTiles basemap (BASEMAP=pmtiles) against a local archive the test writes and serves with
 * Range requests: the map reads the archive's header and a tile, paints the tile's colour under
 * the hexagons, and shows no fallback notice (and, as every e2e session, no CSP violation).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { basemapState, signInAs, waitForHexagons } from './support/driver.js';
import type { Page } from './support/browser.js';
import { pmtilesArchive, serveArchive } from './support/pmtiles-archive.js';
import { useE2eSession } from './support/session.js';
import { solidPng } from './support/tile-server.js';

/** A green no basemap of ours uses, and far from the hexagons' warm palette. */
const GREEN: [number, number, number] = [40, 200, 90];
const archive = pmtilesArchive([{ z: 0, x: 0, y: 0, data: solidPng(GREEN) }], [-180, -85, 180, 85], 20_000);
const TILE_DATA_OFFSET = archive.length - solidPng(GREEN).length;
const served = await serveArchive(archive);

/** Share of the map's pixels within a few levels of `rgb` (the screenshot decoded by the page). */
async function colourShare(page: Page, [r0, g0, b0]: [number, number, number]): Promise<number> {
  const png = await page.getByTestId('map').screenshot();
  return page.evaluate(
    async ({ base64, r0, g0, b0 }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${base64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let hits = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - r0) <= 6 && Math.abs(data[i + 1]! - g0) <= 6 && Math.abs(data[i + 2]! - b0) <= 6) hits++;
      }
      return hits / (data.length / 4);
    },
    { base64: png.toString('base64'), r0, g0, b0 },
  );
}

describe('PMTiles basemap (issue 20)', { timeout: 180_000 }, () => {
  const session = useE2eSession({ BASEMAP: 'pmtiles', BASEMAP_PMTILES_URL: served.url });
  afterAll(() => served.close());

  test('reads the local archive with range requests and paints its tile under the hexagons', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page, { min: 5, timeout: 90_000 });
    expect(await basemapState(page)).toEqual({ basemap: 'pmtiles', notice: null });
    // the header read (offset 0), then the tile's own range
    await expect.poll(() => served.rangeStarts().some((s) => s >= TILE_DATA_OFFSET), { timeout: 30_000 }).toBe(true);
    expect(served.rangeStarts()).toContain(0);
    await expect.poll(() => colourShare(page, GREEN), { timeout: 30_000 }).toBeGreaterThan(0.2);
  });
});
