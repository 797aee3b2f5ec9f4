/**
 * The domain driver: what a person does in Hexwatch, in the app's words. Specs call these and
 * never touch selectors or Playwright directly (selectors live here, on stable test ids).
 */
import { cellToLatLng } from 'h3-js';
import type { Page } from './browser.js';

export interface MapViewParams {
  lat: number;
  lng: number;
  zoom: number;
}

/**
 * The server's "now" (epoch ms), as `config.client` sends it to the browser: test servers run at
 * a fixed instant (HEXWATCH_NOW), so incidents "an hour ago" and "today" count from it.
 */
export async function serverNow(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/trpc/config.client`);
  const now = Date.parse(((await res.json()) as { result: { data: { now: string } } }).result.data.now);
  if (!Number.isFinite(now)) throw new Error('config.client sent no now');
  return now;
}

/** The app shell at `/` (or with a query string), waiting for the first screen. */
export async function openApp(page: Page, search = ''): Promise<void> {
  await page.goto(`/${search}`);
  try {
    // Generous: other engineers' test runs share these two cores.
    await page.locator('[data-testid="sign-in"], [data-testid="map"]').first().waitFor({ timeout: 60_000 });
  } catch (error) {
    // Say what was on screen instead (a splash, an error, a blank page).
    const body = await page.evaluate(() => document.body.innerText.slice(0, 300)).catch(() => '?');
    throw new Error(`neither sign-in nor map after ${page.url()}; the page shows: ${JSON.stringify(body)}`, { cause: error });
  }
}

export async function demoUserNames(page: Page): Promise<string[]> {
  const list = page.getByTestId('demo-users');
  await list.locator('button').first().waitFor();
  return list.locator('.hw-signin__name').allTextContents();
}

/** Dev sign-in as a demo user; resolves when the map is on screen. */
export async function signInAs(page: Page, userId: string): Promise<void> {
  await openApp(page);
  await page.getByTestId(`demo-user-${userId}`).click();
  await page.getByTestId('map').waitFor({ timeout: 60_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('sign-in').waitFor();
}

/** The map at a given view (through the URL, as a shared link would open it). */
export async function openMap(page: Page, view?: MapViewParams, extra = ''): Promise<void> {
  const search = view ? `?lat=${view.lat}&lng=${view.lng}&z=${view.zoom}${extra}` : extra ? `?${extra.replace(/^&/, '')}` : '';
  await page.goto(`/${search}`);
  await page.getByTestId('map').waitFor();
}

export interface DrawnHexagons {
  cells: number;
  resolution: number | null;
}

/** Waits until deck.gl has drawn at least `min` hexagons, no newer answer is loading and the map is at rest. */
export async function waitForHexagons(page: Page, { min = 1, resolution, timeout = 30_000 }: { min?: number; resolution?: number; timeout?: number } = {}): Promise<DrawnHexagons> {
  await page.waitForFunction(
    ({ min, resolution }) => {
      const hook = window.__hexwatch;
      return !!hook && hook.draws > 0 && !hook.loading && hook.drawnCells >= min && hook.idle() && (resolution === undefined || hook.resolution === resolution);
    },
    { min, resolution },
    { timeout },
  );
  // One more frame so the last layer update is on the canvas, not only in deck's state.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => ({ cells: window.__hexwatch!.drawnCells, resolution: window.__hexwatch!.resolution }));
}

/** The URL's query parameters as the app wrote them. */
export async function urlParams(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

/** Waits for the map to settle and write its view into the URL. */
export async function waitForUrlView(page: Page): Promise<MapViewParams> {
  await page.waitForFunction(() => new URL(location.href).searchParams.has('z'));
  const p = await urlParams(page);
  return { lat: Number(p.lat), lng: Number(p.lng), zoom: Number(p.z) };
}

/**
 * Share of the map's pixels in hexagon colours (the warm YlOrRd palette, blended over the
 * blue-grey or cream basemap). The screenshot is decoded by the page's own 2-D canvas.
 */
export async function hexagonPixelShare(page: Page): Promise<number> {
  const png = await page.getByTestId('map').screenshot();
  return page.evaluate(async (base64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${base64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    let warm = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (r - b > 40 && r >= g) warm++;
    }
    return warm / (data.length / 4);
  }, png.toString('base64'));
}

/** Whether the pixel at a cell's centre (as the map places it) is hexagon-coloured in a screenshot. */
export async function hexagonColouredAt(page: Page, cell: string): Promise<boolean> {
  const pos = await page.evaluate((cell) => window.__hexwatch!.cellToScreen(cell), cell);
  if (!pos) return false;
  const map = (await page.getByTestId('map').boundingBox())!;
  const png = await page.screenshot({ clip: { x: map.x + pos[0] - 1, y: map.y + pos[1] - 1, width: 3, height: 3 } });
  return page.evaluate(async (base64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${base64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const [r, g, b] = ctx.getImageData(1, 1, 1, 1).data;
    // The same warm test as hexagonPixelShare (palette over a light basemap), plus the pale
    // yellow of the lowest class.
    return (r! - b! > 40 && r! >= g!) || (r! > 240 && g! > 240 && b! < 200);
  }, png.toString('base64'));
}

/**
 * Reopens the current view (filters and all, from the URL) centred on the drawn cell with the
 * most incidents, so that it is clear of the panels; waits for the hexagons.
 */
export async function centreOnBusiestCell(page: Page, zoom: number): Promise<DrawnHexagons> {
  const centre = await page.evaluate(() => window.__hexwatch!.cells()[0]?.cell ?? null);
  if (!centre) throw new Error('no hexagon drawn to centre on');
  const [lat, lng] = cellToLatLng(centre);
  const url = new URL(page.url());
  url.searchParams.set('lat', lat.toFixed(5));
  url.searchParams.set('lng', lng.toFixed(5));
  url.searchParams.set('z', zoom.toFixed(2));
  await page.goto(url.pathname + url.search);
  await page.getByTestId('map').waitFor({ timeout: 60_000 });
  return waitForHexagons(page);
}

/** The hexagon with the most incidents whose centre is clear of the floating controls, with its page position. */
export async function hexagonTarget(page: Page): Promise<{ cell: string; count: number; x: number; y: number } | null> {
  return page.evaluate(() => {
    const hook = window.__hexwatch!;
    const map = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    // Everything floating over the map (hidden ones have empty boxes); store labels take clicks too.
    const blockers = ['.hw-topbar', '.hw-side', '.hw-legend', '.hw-panel', '.hw-notice', '.hw-store-label', '.maplibregl-ctrl-bottom-right']
      .flatMap((sel) => [...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect()))
      .filter((b) => b.width > 0 && b.height > 0);
    const MARGIN = 12;
    for (const { cell, count } of hook.cells()) {
      const pos = hook.cellToScreen(cell);
      if (!pos) continue;
      const [x, y] = [map.left + pos[0], map.top + pos[1]];
      if (x < map.left + MARGIN || y < map.top + MARGIN || x > map.right - MARGIN || y > map.bottom - MARGIN) continue;
      if (blockers.some((b) => x > b.left - MARGIN && x < b.right + MARGIN && y > b.top - MARGIN && y < b.bottom + MARGIN)) continue;
      return { cell, count, x, y };
    }
    return null;
  });
}

/**
 * Clicks the hexagon with the most incidents whose centre is clear of the floating controls.
 * Returns the cell and its count as the map knows them.
 */
export async function clickHexagon(page: Page, { touch = false }: { touch?: boolean } = {}): Promise<{ cell: string; count: number }> {
  let target = await hexagonTarget(page);
  if (!target) throw new Error('no hexagon on screen clear of the controls to click');
  // Hover first, as a mouse does: a bare mousedown/up with no move before it was lost about
  // every other time (seen with the interleaved overlay on llvmpipe; cause not pinned down).
  // On a loaded machine a click is now and then lost before deck.gl has picked under the
  // pointer: one that selects nothing within a few seconds is repeated, at most twice more.
  let selected = false;
  for (let attempt = 0; attempt < 3 && !selected; attempt++) {
    // Picking reads the last drawn frame: click a map at rest, where the hexagon is now (a late
    // camera move, such as the landing fit, leaves a position read before it pointing elsewhere).
    await page.waitForFunction(() => window.__hexwatch?.idle() === true, undefined, { timeout: 30_000 });
    target = (await hexagonTarget(page)) ?? target;
    if (touch) {
      await page.touchscreen.tap(target.x, target.y);
    } else {
      await page.mouse.move(target.x, target.y);
      await page.waitForTimeout(250);
      await page.mouse.click(target.x, target.y);
    }
    selected = await page
      .waitForFunction((cell) => new URL(location.href).searchParams.get('cell') === cell, target.cell, { timeout: 8_000 })
      .then(() => true, () => false);
  }
  if (!selected) throw new Error(`three clicks on hexagon ${target.cell} at (${Math.round(target.x)}, ${Math.round(target.y)}) did not select it; the URL is ${page.url()}`);
  return { cell: target.cell, count: target.count };
}

/**
 * Waits for the cell panel of `cell` and returns the listed incidents (first page): their ids,
 * the resolution-11 cell and the WGS-84 position of each, and the panel's total line.
 */
export async function cellIncidents(
  page: Page,
  cell: string,
): Promise<{ ids: string[]; cells: string[]; points: Array<[lat: number, lng: number]>; total: string }> {
  const panel = page.locator(`[data-testid="cell-panel"][data-cell="${cell}"]`);
  await panel.getByTestId('incident-list').locator('[data-testid="incident-row"]').first().waitFor();
  const rows = await panel
    .locator('[data-testid="incident-row"]')
    .evaluateAll((els) =>
      els.map((r) => ({
        id: r.getAttribute('data-incident-id') ?? '',
        cell: r.getAttribute('data-cell') ?? '',
        lat: Number(r.getAttribute('data-lat')),
        lng: Number(r.getAttribute('data-lng')),
      })),
    );
  const total = (await panel.getByTestId('cell-total').textContent()) ?? '';
  return { ids: rows.map((r) => r.id), cells: rows.map((r) => r.cell), points: rows.map((r) => [r.lat, r.lng]), total };
}

export async function switchLanguage(page: Page): Promise<void> {
  await page.getByTestId('language-toggle').first().click();
}

export async function headingText(page: Page): Promise<string> {
  return (await page.locator('h1').first().textContent()) ?? '';
}

/** The procedures and inputs of one tRPC batch request URL (`/trpc/a,b?batch=1&input={"0":…,"1":…}`). */
function trpcCalls(url: string): Array<{ path: string; input: unknown }> {
  const u = new URL(url);
  if (!u.pathname.startsWith('/trpc/')) return [];
  const paths = decodeURIComponent(u.pathname.slice('/trpc/'.length)).split(',');
  const raw = u.searchParams.get('input');
  const inputs = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return paths.map((path, i) => ({ path, input: u.searchParams.get('batch') ? inputs[String(i)] : inputs }));
}

export interface HexbinsRequest {
  resolution: number;
  filters?: Record<string, unknown>;
  bbox?: number[];
}

/** Every `map.hexbins` input the page sends from now on (the list fills as requests go out). */
export function recordHexbinRequests(page: Page): HexbinsRequest[] {
  const seen: HexbinsRequest[] = [];
  page.on('request', (req) => {
    for (const call of trpcCalls(req.url())) if (call.path === 'map.hexbins') seen.push(call.input as HexbinsRequest);
  });
  return seen;
}

/**
 * Does something that changes the map's data and waits until the new hexbins are drawn:
 * a `map.hexbins` answer first (so an old, settled map does not count), then the settled map.
 */
async function afterNewHexbins(page: Page, action: () => Promise<void>): Promise<DrawnHexagons> {
  const answered = page.waitForResponse((res) => trpcCalls(res.url()).some((c) => c.path === 'map.hexbins'), { timeout: 60_000 });
  await action();
  await answered;
  return waitForHexagons(page, { min: 0 });
}

/**
 * Brings the side panel (filters, stores) back when a right-hand panel took its place (a
 * desktop under 1800 px with a cell or incident open, as a person would: the 筛选 button).
 */
export async function revealSidePanel(page: Page): Promise<void> {
  if (await page.getByTestId('side-panel').isVisible()) return;
  await page.getByTestId('filters-toggle').click();
  await page.getByTestId('side-panel').waitFor();
}

/** Ticks or unticks one filter checkbox (`kind`, `cat`, `sev`, `st`, `rv`) and waits for the new map. */
export async function toggleFilter(page: Page, group: 'kind' | 'cat' | 'sev' | 'st' | 'rv', value: string | number): Promise<DrawnHexagons> {
  if (!(await page.getByTestId(`filter-${group}-${value}`).isVisible())) await revealSidePanel(page);
  return afterNewHexbins(page, () => page.getByTestId(`filter-${group}-${value}`).click());
}

/** Chooses a time preset (7, 30, 90, 365, all) and waits for the new map. */
export async function chooseTimePreset(page: Page, preset: 7 | 30 | 90 | 365 | 'all'): Promise<DrawnHexagons> {
  if (!(await page.getByTestId(`time-${preset}`).isVisible())) await revealSidePanel(page);
  return afterNewHexbins(page, () => page.getByTestId(`time-${preset}`).click());
}

/** Chooses a custom range of days (YYYY-MM-DD, both inclusive) and waits for the new map. */
export async function chooseTimeRange(page: Page, from: string, to: string): Promise<DrawnHexagons> {
  await page.getByTestId('time-custom').click();
  await page.getByTestId('time-from').fill(from);
  return afterNewHexbins(page, () => page.getByTestId('time-to').fill(to));
}

/** Sets the colour metric (count, weighted, open, overdue, closure). */
export async function chooseMetric(page: Page, metric: string): Promise<void> {
  await page.getByTestId('metric').selectOption(metric);
}

export async function chosenMetric(page: Page): Promise<string> {
  return page.getByTestId('metric').inputValue();
}

/** The filters panel's state as a person sees it: which checkboxes are ticked, which preset is pressed. */
export async function filterPanelState(page: Page): Promise<{ checked: string[]; preset: string | null }> {
  const panel = page.getByTestId('filters');
  const checked = await panel.locator('input[type="checkbox"]:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  const preset = await panel.locator('[data-testid^="time-"][aria-pressed="true"]').first().getAttribute('data-testid');
  return { checked, preset };
}

export async function filterCountText(page: Page): Promise<string> {
  return (await page.getByTestId('filter-count').textContent()) ?? '';
}

/** The legend's class labels, lowest first. */
export async function legendLabels(page: Page): Promise<string[]> {
  return page.getByTestId('legend-classes').locator('li').allTextContents();
}

/** Opens the first incident of the open cell panel (with a photo: an AI detection); resolves with its id when its detail is shown. */
export async function openIncidentFromList(page: Page, { withPhoto = false, status }: { withPhoto?: boolean; status?: string } = {}): Promise<string> {
  const rows = page
    .getByTestId('cell-panel')
    .locator(`[data-testid="incident-row"]${withPhoto ? '[data-photo="1"]' : ''}${status ? `[data-status="${status}"]` : ''}`);
  const row = rows.first();
  const id = (await row.getAttribute('data-incident-id')) ?? '';
  await row.locator('button').click();
  await incidentDetail(page, id);
  return id;
}

/** Waits for the detail of incident `id` and reads what it shows. */
export async function incidentDetail(page: Page, id: string): Promise<{ status: string; photo: string | null; events: number; actions: string[] }> {
  const detail = page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"]`);
  await detail.getByTestId('detail-status').waitFor({ timeout: 30_000 });
  const status = (await detail.getByTestId('detail-status').getAttribute('data-status')) ?? '';
  const photo = (await detail.getByTestId('detail-photo').count()) ? await detail.getByTestId('detail-photo').getAttribute('src') : null;
  const events = await detail.getByTestId('timeline-event').count();
  const actions = await detail.locator('[data-testid^="action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return { status, photo, events, actions };
}

/** Whether an <img> finished loading with real pixels (not a broken image). */
export async function imageLoaded(page: Page, testId: string): Promise<boolean> {
  const img = page.getByTestId(testId);
  await img.scrollIntoViewIfNeeded();
  return img.evaluate(async (el) => {
    const image = el as HTMLImageElement;
    if (!image.complete) {
      await new Promise((r) => {
        image.addEventListener('load', r, { once: true });
        image.addEventListener('error', r, { once: true });
      });
    }
    return image.naturalWidth > 0;
  });
}

/** Types in the store picker and picks the first store offered; returns its id. */
export async function pickStore(page: Page, query: string): Promise<string> {
  const picker = page.getByTestId('store-picker');
  if (!(await picker.isVisible())) await revealSidePanel(page);
  await picker.getByTestId('store-search').fill(query);
  const option = picker.getByTestId('store-option').first();
  await option.waitFor();
  const id = (await option.getAttribute('data-store-id')) ?? '';
  await afterNewHexbins(page, () => option.click());
  return id;
}

/** Store names the picker offers for a query. */
export async function storeOptions(page: Page, query: string): Promise<string[]> {
  const picker = page.getByTestId('store-picker');
  await picker.getByTestId('store-search').fill(query);
  await picker.getByTestId('store-option').first().waitFor();
  return picker.getByTestId('store-option').allTextContents();
}

/** The map's current view (WGS-84) as the map reports it. */
export async function mapView(page: Page): Promise<MapViewParams> {
  return page.evaluate(() => window.__hexwatch!.view());
}

/** The basemap on screen and whether the fallback notice is shown. */
export async function basemapState(page: Page): Promise<{ basemap: string | null; notice: string | null }> {
  const basemap = await page.getByTestId('map').getAttribute('data-basemap');
  const notice = page.getByTestId('basemap-fallback');
  return { basemap, notice: (await notice.count()) ? await notice.textContent() : null };
}

/** Opens the filters bottom sheet on a phone (the side panel is always open on a desktop). */
export async function openFiltersSheet(page: Page): Promise<void> {
  await page.getByTestId('filters-toggle').click();
  await page.getByTestId('filters').waitFor();
}

/** Visible text of a test id (e.g. to compare languages). */
export async function textOf(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

/** Screen box of a test id, or null when it is not rendered. */
export async function boxOf(page: Page, testId: string): Promise<{ x: number; y: number; width: number; height: number } | null> {
  const el = page.getByTestId(testId).first();
  if (!(await el.count()) || !(await el.isVisible())) return null;
  return el.boundingBox();
}

/** Sum of the drawn cells' counts and open counts (what the map shows, from deck.gl's data). */
export async function drawnTotals(page: Page): Promise<{ cells: number; count: number; open: number }> {
  return page.evaluate(() => {
    const cells = window.__hexwatch!.cells();
    return { cells: cells.length, count: cells.reduce((a, c) => a + c.count, 0), open: cells.reduce((a, c) => a + c.open, 0) };
  });
}

/** The drawn open count of one cell (null when it is not drawn). */
export async function cellOpenCount(page: Page, cell: string): Promise<number | null> {
  return page.evaluate((cell) => window.__hexwatch!.cells().find((c) => c.cell === cell)?.open ?? null, cell);
}

/** Runs a workflow action on the shown incident: `assigned`, `in_progress`, `closed` (with a resolution), `dismissed`, `open`. */
export async function incidentAction(page: Page, id: string, to: string, opts: { note?: string; resolution?: string } = {}): Promise<string> {
  const detail = page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"]`);
  const before = await detail.getByTestId('detail-status').getAttribute('data-status');
  await detail.getByTestId(`action-${to}`).click();
  if (await detail.getByTestId('action-form').count()) {
    if (opts.resolution) await detail.getByTestId('action-resolution').selectOption(opts.resolution);
    if (opts.note) await detail.getByTestId('action-note').fill(opts.note);
    await detail.getByTestId('action-submit').click();
  }
  await page.waitForFunction(
    ({ id, before }) => document.querySelector(`[data-testid="incident-detail"][data-incident-id="${id}"] [data-testid="detail-status"]`)?.getAttribute('data-status') !== before,
    { id, before },
    { timeout: 30_000 },
  );
  return (await detail.getByTestId('detail-status').getAttribute('data-status')) ?? '';
}

/** The number on a KPI card (`kpi-open`, `kpi-overdue`, `kpi-incidents`). */
export async function kpiValue(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).locator('.hw-kpi__value').textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
}

/** Waits until a KPI card shows `value`. */
export async function waitForKpi(page: Page, testId: string, value: number): Promise<void> {
  await page.waitForFunction(
    ({ testId, value }) => Number((document.querySelector(`[data-testid="${testId}"] .hw-kpi__value`)?.textContent ?? '').replace(/[^0-9]/g, '')) === value,
    { testId, value },
    { timeout: 30_000 },
  );
}

/** Waits until the drawn open count of `cell` is `value` (a cell no longer drawn counts 0). */
export async function waitForCellOpen(page: Page, cell: string, value: number): Promise<void> {
  await page.waitForFunction(
    ({ cell, value }) => !!window.__hexwatch && !window.__hexwatch.loading && (window.__hexwatch.cells().find((c) => c.cell === cell)?.open ?? 0) === value,
    { cell, value },
    { timeout: 30_000 },
  );
}

/** One tRPC call from inside the page (its session cookie, its origin); a mutation when `mutation`. */
export async function trpcFromPage<T>(page: Page, path: string, input: unknown, mutation = false): Promise<T> {
  return page.evaluate(
    async ({ path, input, mutation }) => {
      const res = mutation
        ? await fetch(`/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })
        : await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
      const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
      if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
      return body.result.data;
    },
    { path, input, mutation },
  ) as Promise<T>;
}
