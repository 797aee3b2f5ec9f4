/**
 * The domain driver: what a person does in Hexwatch, in the app's words. Specs call these and
 * never touch selectors or Playwright directly (selectors live here, on stable test ids).
 */
import type { Page } from './browser.js';

export interface MapViewParams {
  lat: number;
  lng: number;
  zoom: number;
}

/** The app shell at `/` (or with a query string), waiting for the first screen. */
export async function openApp(page: Page, search = ''): Promise<void> {
  await page.goto(`/${search}`);
  await page.locator('[data-testid="sign-in"], [data-testid="map"]').first().waitFor();
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
  await page.getByTestId('map').waitFor();
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

/**
 * Clicks the hexagon with the most incidents whose centre is clear of the floating controls.
 * Returns the cell and its count as the map knows them.
 */
export async function clickHexagon(page: Page, { touch = false }: { touch?: boolean } = {}): Promise<{ cell: string; count: number }> {
  const target = await page.evaluate(() => {
    const hook = window.__hexwatch!;
    const map = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    const blockers = ['.hw-topbar', '.hw-legend', '.hw-panel', '.maplibregl-ctrl-bottom-right']
      .flatMap((sel) => [...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect()));
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
  if (!target) throw new Error('no hexagon on screen clear of the controls to click');
  // Hover first, as a mouse does: a bare mousedown/up with no move before it was lost about
  // every other time (seen with the interleaved overlay on llvmpipe; cause not pinned down).
  if (touch) {
    await page.touchscreen.tap(target.x, target.y);
  } else {
    await page.mouse.move(target.x, target.y);
    await page.waitForTimeout(100);
    await page.mouse.click(target.x, target.y);
  }
  return { cell: target.cell, count: target.count };
}

/**
 * Waits for the cell panel of `cell` and returns the listed incidents (first page): their ids,
 * the stored (resolution 11) cell of each, and the panel's total line.
 */
export async function cellIncidents(page: Page, cell: string): Promise<{ ids: string[]; cells: string[]; total: string }> {
  const panel = page.locator(`[data-testid="cell-panel"][data-cell="${cell}"]`);
  await panel.getByTestId('incident-list').locator('[data-testid="incident-row"]').first().waitFor();
  const rows = await panel
    .locator('[data-testid="incident-row"]')
    .evaluateAll((els) => els.map((r) => ({ id: r.getAttribute('data-incident-id') ?? '', cell: r.getAttribute('data-cell') ?? '' })));
  const total = (await panel.getByTestId('cell-total').textContent()) ?? '';
  return { ids: rows.map((r) => r.id), cells: rows.map((r) => r.cell), total };
}

export async function switchLanguage(page: Page): Promise<void> {
  await page.getByTestId('language-toggle').first().click();
}

export async function headingText(page: Page): Promise<string> {
  return (await page.locator('h1').first().textContent()) ?? '';
}
