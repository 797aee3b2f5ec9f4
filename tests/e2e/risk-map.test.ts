import { getResolution, latLngToCell } from 'h3-js';
import { describe, expect, test } from 'vitest';
import { PHONE } from './support/browser.js';
import {
  cellIncidents,
  chooseMetric,
  chosenMetric,
  clickHexagon,
  drawnTotals,
  filterCountText,
  filterPanelState,
  hexagonPixelShare,
  incidentDetail,
  legendLabels,
  openIncidentFromList,
  openMap,
  recordHexbinRequests,
  signInAs,
  toggleFilter,
  urlParams,
  waitForHexagons,
  waitForUrlView,
} from './support/driver.js';
import { useE2eSession } from './support/session.js';

const ANALYST = 'demo-analyst';

describe('risk map', { timeout: 120_000 }, () => {
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
    // Every listed incident lies in the clicked hexagon (the one latLngToCell gives at its resolution).
    const containing = new Set(listed.points.map(([lat, lng]) => latLngToCell(lat, lng, getResolution(cell))));
    expect([...containing]).toEqual([cell]);
    expect((await urlParams(page)).cell).toBe(cell);
  });

  test('a filter change changes the request and the picture', async () => {
    const { page } = await session.newPage();
    const requests = recordHexbinRequests(page);
    await signInAs(page, ANALYST);
    await waitForHexagons(page, { min: 5 });
    const before = { totals: await drawnTotals(page), share: await hexagonPixelShare(page), count: await filterCountText(page) };
    expect(requests.every((r) => r.filters?.severities === undefined)).toBe(true);

    const sent = requests.length;
    await toggleFilter(page, 'sev', 4);
    const after = { totals: await drawnTotals(page), share: await hexagonPixelShare(page), count: await filterCountText(page) };

    // The request: the new filter went to the server (and only the new requests carry it).
    expect(requests.length).toBeGreaterThan(sent);
    expect(requests.slice(sent).every((r) => JSON.stringify(r.filters?.severities) === '[4]')).toBe(true);
    expect((await urlParams(page)).sev).toBe('4');
    // The picture: fewer incidents, fewer hexagons, visibly less hexagon colour; the count follows.
    expect(after.totals.count).toBeLessThan(before.totals.count);
    expect(after.totals.cells).toBeLessThan(before.totals.cells);
    expect(after.share).toBeLessThan(before.share * 0.9);
    expect(after.count).not.toBe(before.count);
    expect(after.count).toContain(String(after.totals.count));
  });

  test('the colour metric changes the legend and lives in the URL', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page, { min: 5 });
    const counts = await legendLabels(page);
    await chooseMetric(page, 'closure');
    await page.waitForFunction(() => /%/.test(document.querySelector('[data-testid="legend-classes"]')?.textContent ?? ''));
    const rates = await legendLabels(page);
    expect(rates).not.toEqual(counts);
    // The rate classes, then the muted row of cells with too few incidents for a rate (issue 19).
    expect(rates.slice(0, -1).every((label) => label.includes('%'))).toBe(true);
    expect(rates.at(-1)).toMatch(/Fewer than 5 incidents|少于 5 起/);
    expect((await urlParams(page)).metric).toBe('closure');
  });

  test('risk per delivery without per-cell deliveries says so, colours by counts, and the cell panel says the rate is unknown', async () => {
    // the demo sends whole-store deliveries only: no hexagon has a rate (README "Risk per delivery")
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page, { min: 5 });
    const counts = await legendLabels(page);
    await chooseMetric(page, 'per1000');
    await page.getByTestId('map-no-exposure').waitFor();
    expect(await page.getByTestId('legend-title').textContent()).toBe('Incidents per hexagon');
    expect(await legendLabels(page)).toEqual(counts);
    const { cell } = await clickHexagon(page);
    await page.locator(`[data-testid="cell-panel"][data-cell="${cell}"] [data-testid="cell-exposure"][data-state="none"]`).waitFor();
  });

  test('the awaiting-review share has percent classes', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page, { min: 5 });
    await chooseMetric(page, 'pending');
    await page.waitForFunction(() => /75%/.test(document.querySelector('[data-testid="legend-classes"]')?.textContent ?? ''));
    const labels = await legendLabels(page);
    // accident-only hexagons have no AI detections: no share, drawn apart ("–")
    expect(labels).toEqual(['–', '0%–10%', '10%–25%', '25%–50%', '50%–75%', '≥ 75%']);
    expect((await urlParams(page)).metric).toBe('pending');
  });

  test('a shared link restores filters, metric, selected cell and incident', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    await toggleFilter(page, 'kind', 'exception');
    await toggleFilter(page, 'sev', 3);
    await chooseMetric(page, 'open');
    const { cell } = await clickHexagon(page);
    await cellIncidents(page, cell);
    const incident = await openIncidentFromList(page);
    const link = page.url();
    const panelBefore = await filterPanelState(page);

    const other = await session.newPage();
    const requests = recordHexbinRequests(other.page);
    await signInAs(other.page, ANALYST);
    await other.page.goto(link);
    await waitForHexagons(other.page);
    expect(await filterPanelState(other.page)).toEqual(panelBefore);
    expect(panelBefore.checked).toEqual(['filter-kind-exception', 'filter-sev-3']);
    expect(await chosenMetric(other.page)).toBe('open');
    const last = requests.at(-1)!;
    expect(last.filters).toMatchObject({ kinds: ['exception'], severities: [3] });
    const shown = await incidentDetail(other.page, incident);
    expect(shown.status).not.toBe('');
    // the link as it was shared (the first page may pan on afterwards: its cell panel's last check)
    const before = Object.fromEntries(new URL(link).searchParams);
    const after = await urlParams(other.page);
    expect(after.cell).toBe(cell);
    expect(after.incident).toBe(incident);
    expect(Number(after.z)).toBeCloseTo(Number(before.z), 1);
    expect(Number(after.lat)).toBeCloseTo(Number(before.lat), 3);
    expect(Number(after.lng)).toBeCloseTo(Number(before.lng), 3);
    // Back from the incident to that cell's list, filtered as shared.
    await other.page.getByTestId('detail-back').click();
    const listed = await cellIncidents(other.page, cell);
    expect(listed.ids).toContain(incident);
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
