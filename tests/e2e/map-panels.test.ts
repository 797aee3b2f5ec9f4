import { describe, expect, test } from 'vitest';
import { PHONE } from './support/browser.js';
import {
  boxOf,
  cellIncidents,
  chooseTimeRange,
  clickHexagon,
  filterCountText,
  imageLoaded,
  incidentDetail,
  mapView,
  openFiltersSheet,
  openIncidentFromList,
  pickStore,
  recordHexbinRequests,
  signInAs,
  storeOptions,
  switchLanguage,
  textOf,
  toggleFilter,
  urlParams,
  waitForHexagons,
  waitForUrlView,
} from './support/driver.js';
import { useE2eSession } from './support/session.js';

const ANALYST = 'demo-analyst';
const MANAGER_FZ = 'demo-manager-fz';

describe('map panels', { timeout: 120_000 }, () => {
  const session = useE2eSession();

  test('an AI detection opens its detail with status, timeline and the photo served with the session', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    await toggleFilter(page, 'kind', 'exception');
    const { cell } = await clickHexagon(page);
    await cellIncidents(page, cell);
    const id = await openIncidentFromList(page, { withPhoto: true });
    const detail = await incidentDetail(page, id);
    expect(detail.photo).toMatch(/^\/media\/detections\/[\w-]+\.svg$/);
    expect(await imageLoaded(page, 'detail-photo')).toBe(true);
    expect(detail.events).toBeGreaterThan(0);
    expect((await urlParams(page)).incident).toBe(id);
  });

  test('the store picker finds a store by code or Chinese name, flies there and filters to it', async () => {
    const { page } = await session.newPage();
    const requests = recordHexbinRequests(page);
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    const start = await waitForUrlView(page);
    expect((await storeOptions(page, 'FZ-00')).length).toBeGreaterThan(1);
    expect((await storeOptions(page, '站')).some((name) => /[\u4e00-\u9fff]/.test(name))).toBe(true);

    const storeId = await pickStore(page, 'FZ-001');
    await waitForHexagons(page, { min: 1 });
    expect((await urlParams(page)).store).toBe(storeId);
    expect(requests.at(-1)!.filters).toMatchObject({ storeIds: [Number(storeId)] });
    const view = await mapView(page);
    expect(view.zoom).toBeGreaterThan(start.zoom + 0.5);
    // Its label is on screen, near the middle of the map.
    const label = page.locator(`.hw-store-label[data-store-id="${storeId}"]`);
    const box = await label.boundingBox();
    const map = (await boxOf(page, 'map'))!;
    expect(box).not.toBeNull();
    expect(Math.abs(box!.x + box!.width / 2 - (map.x + map.width / 2 + 160))).toBeLessThan(map.width / 4);
  });

  test('a store manager lands on their store', async () => {
    const { page } = await session.newPage();
    await signInAs(page, MANAGER_FZ);
    await waitForHexagons(page);
    const view = await waitForUrlView(page);
    expect(view.zoom).toBeGreaterThanOrEqual(11.5);
    const labels = await page.locator('.hw-store-label').evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').length);
    expect(labels).toBe(1);
  });

  test('filters that match nothing say so', async () => {
    const { page } = await session.newPage();
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    await chooseTimeRange(page, '2001-01-01', '2001-01-31');
    expect((await urlParams(page)).from).toBe('2001-01-01');
    await page.getByTestId('map-empty').waitFor();
    expect(await filterCountText(page)).toMatch(/\b0\b/);
  });

  test('on a 360x740 phone the map fills the screen and the filters open as a bottom sheet', async () => {
    const { page } = await session.newPage({ viewport: PHONE, mobile: true });
    const requests = recordHexbinRequests(page);
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    expect(await boxOf(page, 'map')).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    expect(await boxOf(page, 'filters')).toBeNull();
    await openFiltersSheet(page);
    const sheet = (await boxOf(page, 'side-panel'))!;
    expect(sheet.width).toBe(PHONE.width);
    expect(sheet.y + sheet.height).toBeCloseTo(PHONE.height, 0);
    expect(sheet.height).toBeLessThan(PHONE.height * 0.7);
    // Touch targets a finger can hit.
    expect((await boxOf(page, 'time-30'))!.height).toBeGreaterThanOrEqual(32);
    await toggleFilter(page, 'sev', 4);
    expect(requests.at(-1)!.filters).toMatchObject({ severities: [4] });
    await page.getByTestId('filters-close').click();
    expect(await boxOf(page, 'filters')).toBeNull();
    expect(await boxOf(page, 'legend')).not.toBeNull();
  });

  test('the language switch changes the map screen’s text', async () => {
    const { page } = await session.newPage({ locale: 'en-US' });
    await signInAs(page, ANALYST);
    await waitForHexagons(page);
    const before = { filters: await textOf(page, 'filters'), legend: await textOf(page, 'legend') };
    expect(before.filters).toContain('Time');
    await switchLanguage(page);
    const after = { filters: await textOf(page, 'filters'), legend: await textOf(page, 'legend') };
    expect(after.filters).toContain('时间');
    expect(after.legend).toContain('六边形');
    expect(after.filters).not.toContain('Time');
  });
});
