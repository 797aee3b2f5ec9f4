/**
 * The map's layout as a person sees it (issue 19): what the floating panels cover, where a cell
 * or a store lies on screen, how much of the width is left for the map.
 */
import type { Page } from './browser.js';

/** A box on the page, CSS pixels. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Every visible box floating over the map: the top bar's pieces, the side and right panels, the legend, the charts drawer. */
export async function floatingPanels(page: Page): Promise<Array<Box & { what: string }>> {
  return page.evaluate(() =>
    ['.hw-topbar > *', '.hw-side', '.hw-panel', '.hw-legend', '.hw-dashboard']
      .flatMap((sel) => [...document.querySelectorAll(sel)].map((el) => ({ what: `${sel} ${el.getAttribute('data-testid') ?? el.className}`, box: el.getBoundingClientRect() })))
      .filter(({ box }) => box.width > 0 && box.height > 0)
      .map(({ what, box }) => ({ what, left: box.left, top: box.top, right: box.right, bottom: box.bottom })),
  );
}

/** Where a cell's centre is on the page (CSS pixels), as the map draws it now. */
export async function cellOnPage(page: Page, cell: string): Promise<[x: number, y: number]> {
  return page.evaluate((cell) => {
    const map = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    const pos = window.__hexwatch!.cellToScreen(cell);
    if (!pos) throw new Error(`cell ${cell} not on the map`);
    return [map.left + pos[0], map.top + pos[1]] as [number, number];
  }, cell);
}

/** Whether a point lies inside a box. */
export function inside([x, y]: readonly [number, number], b: Box): boolean {
  return x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;
}

/** Web Mercator pixel coordinates of a WGS-84 point at a zoom (MapLibre's 512 px tiles). */
function project(lat: number, lng: number, zoom: number): [x: number, y: number] {
  const size = 512 * 2 ** zoom;
  const phi = (lat * Math.PI) / 180;
  return [((lng + 180) / 360) * size, ((1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2) * size];
}

function unproject(x: number, y: number, zoom: number): [lat: number, lng: number] {
  const size = 512 * 2 ** zoom;
  const lng = (x / size) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / size))) * 180) / Math.PI;
  return [lat, lng];
}

/**
 * The view (for the URL) that puts the point at `dx`, `dy` pixels from the map's centre: to
 * place a cell where a panel will open.
 */
export function viewPlacing(lat: number, lng: number, zoom: number, dx: number, dy: number): { lat: number; lng: number; zoom: number } {
  const [x, y] = project(lat, lng, zoom);
  const [cLat, cLng] = unproject(x - dx, y - dy, zoom);
  return { lat: Number(cLat.toFixed(6)), lng: Number(cLng.toFixed(6)), zoom };
}

/** Clicks the map at a page position until `cell` is selected (clicks on a busy machine are now and then lost). */
export async function clickCellAt(page: Page, cell: string, [x, y]: readonly [number, number]): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.waitForFunction(() => window.__hexwatch?.idle() === true, undefined, { timeout: 30_000 });
    await page.mouse.move(x, y);
    await page.waitForTimeout(250);
    await page.mouse.click(x, y);
    const selected = await page
      .waitForFunction((cell) => new URL(location.href).searchParams.get('cell') === cell, cell, { timeout: 8_000 })
      .then(() => true, () => false);
    if (selected) return;
  }
  throw new Error(`three clicks at (${Math.round(x)}, ${Math.round(y)}) did not select ${cell}`);
}

/** Waits until the camera has come to rest after whatever moves it is making (a pan, a flight). */
export async function cameraAtRest(page: Page): Promise<void> {
  // A pan starts a frame or two (plus a re-check) after the panel opens: give it that long to start.
  await page.waitForTimeout(900);
  await page.waitForFunction(() => window.__hexwatch?.idle() === true, undefined, { timeout: 30_000 });
}

/**
 * The width the map keeps, CSS pixels: the map's width less the horizontal extent of the
 * visible panels that run along its height (at least half of it: side panel, cell panel,
 * charts drawer), overlapping extents counted once.
 */
export async function mapFreeWidth(page: Page): Promise<{ free: number; width: number }> {
  return page.evaluate(() => {
    const map = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    const spans = ['.hw-side', '.hw-panel', '.hw-dashboard', '.hw-legend', '.hw-topbar > *']
      .flatMap((sel) => [...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect()))
      .filter((b) => b.width > 0 && b.height >= map.height / 2)
      .map((b) => [Math.max(map.left, b.left), Math.min(map.right, b.right)] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let end = -Infinity;
    for (const [l, r] of spans) {
      if (r <= end) continue;
      covered += r - Math.max(l, end);
      end = r;
    }
    return { free: map.width - covered, width: map.width };
  });
}

/** The map's centre (WGS-84) as the map reports it. */
export async function mapCentre(page: Page): Promise<{ lat: number; lng: number; zoom: number }> {
  return page.evaluate(() => window.__hexwatch!.view());
}

/** Great-circle distance in km (haversine), written here so the test does not use the app's geometry. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Where a WGS-84 point is on the page now (CSS pixels): Mercator from the map's centre and zoom (a flat map, no pitch). */
export async function pointOnPage(page: Page, lat: number, lng: number): Promise<[x: number, y: number]> {
  const { centre, box } = await page.evaluate(() => ({
    centre: window.__hexwatch!.view(),
    box: document.querySelector('[data-testid="map"]')!.getBoundingClientRect().toJSON() as { left: number; top: number; width: number; height: number },
  }));
  const [cx, cy] = project(centre.lat, centre.lng, centre.zoom);
  const [x, y] = project(lat, lng, centre.zoom);
  return [box.left + box.width / 2 + (x - cx), box.top + box.height / 2 + (y - cy)];
}
