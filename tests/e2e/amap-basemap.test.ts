import { getResolution, latLngToCell } from 'h3-js';
import { afterAll, describe, expect, test } from 'vitest';
import {
  basemapState,
  centreOnBusiestCell,
  cellIncidents,
  clickHexagon,
  hexagonColouredAt,
  hexagonPixelShare,
  hexagonTarget,
  signInAs,
  waitForHexagons,
  waitForUrlView,
} from './support/driver.js';
import { useE2eSession } from './support/session.js';
import { startTileServer } from './support/tile-server.js';

// AMap's tiles are GCJ-02; a local stand-in serves plain tiles so the test needs no network.
const tiles = await startTileServer();

describe('GCJ-02 basemap (amap)', { timeout: 120_000 }, () => {
  const session = useE2eSession({ BASEMAP: 'amap', BASEMAP_TILE_URL: tiles.template });
  afterAll(() => tiles.close());

  test('hexagons are drawn shifted to GCJ-02 and a click on one lists exactly that cell', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page, { min: 5 });
    expect((await basemapState(page)).basemap).toBe('amap');
    expect((await basemapState(page)).notice).toBeNull();
    expect(tiles.requests()).toBeGreaterThan(0);
    expect(await hexagonPixelShare(page)).toBeGreaterThan(0.01);
    // Zoomed in to single streets (AMap's shift, ~500 m here, is many cells wide): the cell is
    // painted where its GCJ-02 position is, and a click there picks exactly that cell.
    await waitForUrlView(page);
    await centreOnBusiestCell(page, 14.5);
    await waitForHexagons(page, { resolution: 10 });
    const target = (await hexagonTarget(page))!;
    expect(await hexagonColouredAt(page, target.cell)).toBe(true);
    const { cell, count } = await clickHexagon(page);
    expect(cell).toBe(target.cell);
    const listed = await cellIncidents(page, cell);
    expect(listed.ids.length).toBe(Math.min(count, 50));
    expect(new Set(listed.points.map(([lat, lng]) => latLngToCell(lat, lng, getResolution(cell))))).toEqual(new Set([cell]));
  });
});
