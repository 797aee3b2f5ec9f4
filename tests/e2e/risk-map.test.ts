import { cellToParent, getResolution } from 'h3-js';
import { describe, expect, test } from 'vitest';
import { PHONE } from './support/browser.js';
import { cellIncidents, clickHexagon, hexagonPixelShare, openMap, signInAs, urlParams, waitForHexagons, waitForUrlView } from './support/driver.js';
import { useE2eSession } from './support/session.js';

const ANALYST = 'demo-analyst';

describe('risk map', () => {
  const session = useE2eSession();

  test('signing in as the analyst shows the map with hexagons drawn', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    const drawn = await waitForHexagons(page, { min: 5 });
    expect(drawn.cells).toBeGreaterThanOrEqual(5);
    // Not only in deck.gl's state: a real share of the map's pixels is hexagon-coloured.
    expect(await hexagonPixelShare(page)).toBeGreaterThan(0.01);
  });

  test('the resolution follows the zoom', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    const { lat, lng } = await waitForUrlView(page);
    await openMap(page, { lat, lng, zoom: 8 });
    await waitForHexagons(page, { resolution: 6 });
    await openMap(page, { lat, lng, zoom: 12.5 });
    await waitForHexagons(page, { resolution: 9 });
  });

  test('clicking a hexagon lists that cell’s incidents', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    const { cell, count } = await clickHexagon(page);
    const listed = await cellIncidents(page, cell);
    expect(listed.ids.length).toBe(Math.min(count, 50));
    expect(listed.total).toContain(String(count));
    // Every listed incident lies in the clicked hexagon.
    const parents = new Set(listed.cells.map((c) => cellToParent(c, getResolution(cell))));
    expect([...parents]).toEqual([cell]);
    expect((await urlParams(page)).cell).toBe(cell);
  });

  test('a shared link restores the view and the selected cell', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    const { cell } = await clickHexagon(page);
    await cellIncidents(page, cell);
    const link = page.url();

    const other = await session.newPage();
    await signInAs(other.page, ANALYST);
    await other.page.goto(link);
    await waitForHexagons(other.page);
    const before = await urlParams(page);
    const after = await urlParams(other.page);
    expect(after.cell).toBe(cell);
    expect(Number(after.z)).toBeCloseTo(Number(before.z), 1);
    expect(Number(after.lat)).toBeCloseTo(Number(before.lat), 3);
    expect(Number(after.lng)).toBeCloseTo(Number(before.lng), 3);
    await cellIncidents(other.page, cell);
  });

  test('on a phone the cell list opens as a bottom sheet', async () => {
    const { page } = await session.newPage({ viewport: PHONE, mobile: true });
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    const { cell } = await clickHexagon(page, { touch: true });
    await cellIncidents(page, cell);
    const box = await page.getByTestId('cell-panel').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBe(PHONE.width);
    expect(box!.y + box!.height).toBeCloseTo(PHONE.height, 0);
  });
});
