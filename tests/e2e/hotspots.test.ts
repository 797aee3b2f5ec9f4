import { getResolution } from 'h3-js';
import { describe, expect, test } from 'vitest';
import { centreOnBusiestCell, signInAs, urlParams, waitForHexagons } from './support/driver.js';
import {
  cellOnMap,
  chooseMapMode,
  chosenMapMode,
  drawnHotspotBins,
  hotspotLegend,
  hoverHotspotTooltip,
  openAlertLink,
  recordHotspotRequests,
  waitForCellPanel,
  waitForMode,
} from './support/hotspot-driver.js';
import { useE2eSession } from './support/session.js';

const ANALYST = 'demo-analyst';

// Generous: the statistics run on the server per request and the machine is shared.
describe('hot spots on the map', { timeout: 240_000 }, () => {
  const session = useE2eSession();

  test('the Gi* mode asks for map.hotspots, explains its classes, and lives in the URL', async () => {
    const { page } = await session.newPage();
    const requests = recordHotspotRequests(page);
    await signInAs(page, ANALYST);
    await waitForHexagons(page, { min: 5, timeout: 90_000 });
    expect(requests).toEqual([]);

    const drawn = await chooseMapMode(page, 'gi');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.mode === 'gi' && r.resolution <= 9)).toBe(true);
    expect(drawn.cells).toBeGreaterThan(0);
    expect(drawn.resolution).toBeLessThanOrEqual(9);
    const bins = await drawnHotspotBins(page);
    expect(bins.every((c) => Number.isInteger(c.bin) && Math.abs(c.bin) <= 3)).toBe(true);
    // The demo data clusters along corridors: some cells are significant hot spots.
    const hottest = Math.max(...bins.map((c) => c.bin));
    expect(hottest).toBeGreaterThan(0);

    const legend = await hotspotLegend(page);
    expect(legend.title).toContain('Gi*');
    expect(legend.title).toMatch(/false-discovery-rate/);
    expect(legend.classes.map((c) => c.label)).toEqual([
      'Hot spot, 99 % confidence',
      'Hot spot, 95 % confidence',
      'Hot spot, 90 % confidence',
      'Not significant',
      'Cold spot, 90 % confidence',
      'Cold spot, 95 % confidence',
      'Cold spot, 99 % confidence',
    ]);
    expect(legend.classes.every((c) => c.meaning.length > 10)).toBe(true);
    expect((await urlParams(page)).mode).toBe('gi');

    // The tooltip names the class and says what it means.
    const hovered = await hoverHotspotTooltip(page, hottest);
    expect(hovered, 'a hot-spot hexagon clear of the controls').not.toBeNull();
    expect(hovered!.text).toContain(legend.classes[3 - hottest]!.label);
    expect(hovered!.text).toContain(legend.classes[3 - hottest]!.meaning);

    // A reload (or a shared link) comes back in the same mode, asking for hot spots again.
    const sent = requests.length;
    await page.reload();
    await waitForMode(page, 'gi');
    expect(await chosenMapMode(page)).toBe('gi');
    expect(requests.length).toBeGreaterThan(sent);
    expect((await hotspotLegend(page)).classes[0]!.label).toBe('Hot spot, 99 % confidence');

    // Emerging hot spots: the legend lists the classes on the map with their meanings.
    await chooseMapMode(page, 'emerging');
    expect((await urlParams(page)).mode).toBe('emerging');
    const emerging = await hotspotLegend(page);
    expect(emerging.title).toMatch(/Emerging hot spots over the last \d+ weeks/);
    expect(emerging.classes.length).toBeGreaterThan(0);
    expect(emerging.classes.every((c) => c.label.length > 0 && c.meaning.length > 10)).toBe(true);
    expect(requests.some((r) => r.mode === 'emerging' && r.resolution <= 9)).toBe(true);

    // Back to hexbins: the default mode leaves the URL.
    await chooseMapMode(page, 'hexbins');
    expect((await urlParams(page)).mode).toBeUndefined();
  });

  test('an alert link /?cell=<h3> opens the map at that cell with its panel', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page, { min: 5, timeout: 90_000 });
    // A busy resolution-9 cell, as the scan alerts on.
    await centreOnBusiestCell(page, 12.5);
    await waitForHexagons(page, { resolution: 9, timeout: 90_000 });
    const cell = await page.evaluate(() => window.__hexwatch!.cells()[0]!.cell);
    expect(getResolution(cell)).toBe(9);

    await openAlertLink(page, cell);
    await waitForCellPanel(page, cell);
    const onMap = await cellOnMap(page, cell);
    expect(onMap.inside, `cell centre at (${onMap.x}, ${onMap.y}) of ${onMap.width}×${onMap.height}`).toBe(true);
    // Close in, not a whole city with the cell somewhere in it.
    expect(onMap.zoom).toBeGreaterThanOrEqual(12);
    // The map reports the new view into the URL, around the cell.
    await page.waitForFunction(() => new URL(location.href).searchParams.has('z'), undefined, { timeout: 60_000 });
    expect((await urlParams(page)).cell).toBe(cell);
  });
});
