/**
 * The hot-spot part of the domain driver: switching the map mode, reading the hot-spot
 * legend, opening an alert link (`/?cell=<h3>`). Selectors live here, on stable test ids;
 * map facts come from `window.__hexwatch` (client/features/map/lib/test-hook.ts).
 */
import type { Page } from './browser.js';

export type MapMode = 'hexbins' | 'gi' | 'emerging';

export interface HotspotsRequest {
  resolution: number;
  mode: 'gi' | 'emerging';
  filters?: Record<string, unknown>;
}

/** The inputs of the calls to `path` in one tRPC request URL (batched calls list their paths comma-separated). */
function trpcInputs(url: string, path: string): unknown[] {
  const u = new URL(url);
  if (!u.pathname.startsWith('/trpc/')) return [];
  const paths = decodeURIComponent(u.pathname.slice('/trpc/'.length)).split(',');
  const raw = u.searchParams.get('input');
  const inputs = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const batched = u.searchParams.get('batch') !== null;
  return paths.flatMap((p, i) => (p === path ? [batched ? inputs[String(i)] : inputs] : []));
}

/** Every `map.hotspots` input the page sends from now on (the list fills as requests go out). */
export function recordHotspotRequests(page: Page): HotspotsRequest[] {
  const seen: HotspotsRequest[] = [];
  page.on('request', (req) => {
    for (const input of trpcInputs(req.url(), 'map.hotspots')) seen.push(input as HotspotsRequest);
  });
  return seen;
}

/** Waits until the map draws the hexagons of `mode` (at least `min`), with no newer answer loading and the map at rest. */
export async function waitForMode(page: Page, mode: MapMode, { min = 1, timeout = 90_000 }: { min?: number; timeout?: number } = {}): Promise<{ cells: number; resolution: number | null }> {
  await page.waitForFunction(
    ({ mode, min }) => {
      const hook = window.__hexwatch;
      return !!hook && hook.mode === mode && hook.draws > 0 && !hook.loading && hook.drawnCells >= min && hook.idle();
    },
    { mode, min },
    { timeout },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => ({ cells: window.__hexwatch!.drawnCells, resolution: window.__hexwatch!.resolution }));
}

/**
 * Chooses what the map shows from the legend's mode switch; for a hot-spot mode resolves once
 * a `map.hotspots` answer is in and its hexagons are drawn.
 */
export async function chooseMapMode(page: Page, mode: MapMode): Promise<{ cells: number; resolution: number | null }> {
  const select = () => page.getByTestId('map-mode').selectOption(mode);
  if (mode === 'hexbins') {
    await select();
    return waitForMode(page, mode);
  }
  const answered = page.waitForResponse((res) => trpcInputs(res.url(), 'map.hotspots').length > 0, { timeout: 90_000 });
  await select();
  await answered;
  return waitForMode(page, mode);
}

export async function chosenMapMode(page: Page): Promise<string> {
  return page.getByTestId('map-mode').inputValue();
}

/** The legend as a person reads it: its heading and each class with its plain-words meaning. */
export async function hotspotLegend(page: Page): Promise<{ title: string; classes: Array<{ label: string; meaning: string }> }> {
  const legend = page.getByTestId('legend');
  const title = (await legend.getByTestId('legend-title').textContent()) ?? '';
  await legend.getByTestId('legend-classes').waitFor({ timeout: 30_000 });
  const classes = await legend.getByTestId('legend-classes').locator('li').evaluateAll((items) =>
    items.map((li) => ({
      label: li.querySelector('[data-testid="legend-class-label"]')?.textContent ?? li.textContent ?? '',
      // A meaning shared with the class above is written once; every row carries it as its title.
      meaning: li.querySelector('[data-testid="legend-class-meaning"]')?.textContent ?? li.getAttribute('title') ?? '',
    })),
  );
  return { title, classes };
}

/** The drawn cells coloured by their hot-spot value (Gi* bin), most incidents first. */
export async function drawnHotspotBins(page: Page): Promise<Array<{ cell: string; count: number; bin: number }>> {
  return page.evaluate(() => window.__hexwatch!.cells().map((c) => ({ cell: c.cell, count: c.count, bin: c.value })));
}

/** Opens an alert card's link to the map at a cell, as the Feishu button does: `/?cell=<h3>`, no view. */
export async function openAlertLink(page: Page, cell: string): Promise<void> {
  await page.goto(`/?cell=${cell}`);
  await page.getByTestId('map').waitFor({ timeout: 60_000 });
}

/** Waits for the map at rest; returns the view and where a cell's centre is relative to the visible map. */
export async function cellOnMap(page: Page, cell: string, timeout = 60_000): Promise<{ inside: boolean; x: number; y: number; width: number; height: number; zoom: number }> {
  await page.waitForFunction(() => window.__hexwatch?.idle() === true, undefined, { timeout });
  return page.evaluate((cell) => {
    const hook = window.__hexwatch!;
    const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    const [x, y] = hook.cellToScreen(cell) ?? [Number.NaN, Number.NaN];
    return { inside: x >= 0 && y >= 0 && x <= box.width && y <= box.height, x, y, width: box.width, height: box.height, zoom: hook.view().zoom };
  }, cell);
}

/** Whether the cell panel of `cell` is on screen. */
export async function waitForCellPanel(page: Page, cell: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="cell-panel"][data-cell="${cell}"]`).waitFor({ timeout });
}

/**
 * Hovers the drawn hexagon with the most incidents among those whose colour value is
 * `value` (a Gi* bin) and whose centre is clear of the floating controls; returns the
 * tooltip's text, or null when no such hexagon is on screen.
 */
export async function hoverHotspotTooltip(page: Page, value: number): Promise<{ cell: string; text: string } | null> {
  await page.waitForFunction(() => window.__hexwatch?.idle() === true, undefined, { timeout: 30_000 });
  const target = await page.evaluate((value) => {
    const hook = window.__hexwatch!;
    const map = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    const blockers = ['.hw-topbar', '.hw-side', '.hw-legend', '.hw-panel', '.hw-notice', '.hw-store-label', '.maplibregl-ctrl-bottom-right']
      .flatMap((sel) => [...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect()))
      .filter((b) => b.width > 0 && b.height > 0);
    const MARGIN = 12;
    for (const c of hook.cells()) {
      if (c.value !== value) continue;
      const pos = hook.cellToScreen(c.cell);
      if (!pos) continue;
      const [x, y] = [map.left + pos[0], map.top + pos[1]];
      if (x < map.left + MARGIN || y < map.top + MARGIN || x > map.right - MARGIN || y > map.bottom - MARGIN) continue;
      if (blockers.some((b) => x > b.left - MARGIN && x < b.right + MARGIN && y > b.top - MARGIN && y < b.bottom + MARGIN)) continue;
      return { cell: c.cell, x, y };
    }
    return null;
  }, value);
  if (!target) return null;
  const tooltip = page.locator('.hw-tooltip');
  // A first move is now and then not picked on a loaded machine (see driver.ts clickHexagon): move again.
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.mouse.move(target.x - 3 + attempt, target.y);
    await page.mouse.move(target.x, target.y);
    if (await tooltip.waitFor({ state: 'visible', timeout: 8_000 }).then(() => true, () => false)) break;
  }
  return { cell: target.cell, text: (await tooltip.innerText()) ?? '' };
}
