/**
 * The dashboard's part of the domain driver (the charts, the store ranking, the alerts): what a
 * person does there, in the app's words. Selectors live here, on stable test ids; bars are
 * clicked where the chart drew them (`window.__hexwatchCharts`, see
 * client/features/stats/lib/test-hook.ts), with the mouse, as a person would.
 */
import type { Page } from './browser.js';

export const CHART_IDS = ['closure-chart', 'chart-timeseries', 'chart-categories', 'chart-hour-of-week', 'store-ranking'] as const;
const ECHART_IDS = ['closure-chart', 'chart-timeseries', 'chart-categories', 'chart-hour-of-week'];

/** Opens the dashboard drawer from the top bar. */
export async function openDashboard(page: Page): Promise<void> {
  await page.getByTestId('dashboard-toggle').click();
  await page.getByTestId('dashboard').waitFor();
}

export async function closeDashboard(page: Page): Promise<void> {
  await page.getByTestId('dashboard-close').click();
  await page.getByTestId('dashboard').waitFor({ state: 'detached' });
}

/** Waits until every chart card has its data in and its chart drawn; returns each card's state. */
export async function waitForCharts(page: Page, timeout = 60_000): Promise<Record<string, string>> {
  await page.waitForFunction(
    ({ ids, echartIds }) =>
      ids.every((id) => {
        const card = document.querySelector(`[data-testid="${id}"]`);
        const state = card?.getAttribute('data-state');
        if (!state || state === 'loading') return false;
        if (state !== 'ready' || !echartIds.includes(id)) return true;
        return card!.querySelector('.hw-echart__canvas[data-ready="1"] svg') !== null;
      }),
    { ids: [...CHART_IDS], echartIds: ECHART_IDS },
    { timeout },
  );
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state') ?? ''])), [...CHART_IDS]);
}

/** Whether a tRPC request URL calls `path` (batched calls list their paths comma-separated). */
function callsPath(url: string, path: string): boolean {
  const u = new URL(url);
  return u.pathname.startsWith('/trpc/') && decodeURIComponent(u.pathname.slice('/trpc/'.length)).split(',').includes(path);
}

/** Does `action` and resolves when the map's next `map.hexbins` answer is in. */
export async function afterMapAnswer(page: Page, action: () => Promise<void>, timeout = 60_000): Promise<void> {
  const answered = page.waitForResponse((res) => callsPath(res.url(), 'map.hexbins'), { timeout });
  await action();
  await answered;
}

/** The category bars as drawn, most frequent first: `kind:category` keys. */
export async function categoryBars(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__hexwatchCharts?.['chart-categories']?.points().map((p) => p.key) ?? []);
}

/**
 * Clicks a bar of the categories chart (the first, most frequent, unless `key` names one) and
 * waits for the map's answer to the new filter (`waitForMap: false` when the map has that
 * filter's answer cached already, e.g. when a click clears the filter). Returns the bar's key.
 */
export async function clickCategoryBar(page: Page, key?: string, { waitForMap = true }: { waitForMap?: boolean } = {}): Promise<string> {
  await page.getByTestId('chart-categories').scrollIntoViewIfNeeded();
  // Bars grow in with an animation: click where they are once drawn, not on their way there.
  await page.waitForFunction(() => window.__hexwatchCharts?.['chart-categories']?.settled() === true, null, { timeout: 30_000 });
  const point = await page.evaluate((key) => {
    const points = window.__hexwatchCharts?.['chart-categories']?.points() ?? [];
    return (key ? points.find((p) => p.key === key) : points[0]) ?? null;
  }, key);
  if (!point) throw new Error(`no category bar ${key ?? ''} drawn`);
  const click = async () => {
    // Hover first, as a mouse does, so the chart sees the pointer on the bar before the click.
    await page.mouse.move(point.x, point.y);
    await page.waitForTimeout(100);
    await page.mouse.click(point.x, point.y);
  };
  if (waitForMap) await afterMapAnswer(page, click);
  else await click();
  return point.key;
}

/** The note under the categories chart (names the chosen category; empty when none is). */
export async function categoriesNote(page: Page): Promise<string> {
  const note = page.getByTestId('chart-categories').locator('.hw-chart-card__note');
  return (await note.count()) ? ((await note.textContent()) ?? '') : '';
}

/** Clicks the store name of the ranking's row `index` (0 = top) and waits for the map's answer (see `clickCategoryBar`); returns the store id. */
export async function clickRankedStore(page: Page, index = 0, { waitForMap = true }: { waitForMap?: boolean } = {}): Promise<string> {
  const row = page.getByTestId('store-ranking').getByTestId('ranking-row').nth(index);
  await row.scrollIntoViewIfNeeded();
  const id = (await row.getAttribute('data-store-id')) ?? '';
  const click = () => row.getByTestId('ranking-store').click();
  if (waitForMap) await afterMapAnswer(page, click);
  else await click();
  return id;
}

/** Store ids of the ranking's rows, in order, and which one is marked as chosen. */
export async function rankingState(page: Page): Promise<{ ids: string[]; selected: string[] }> {
  const rows = page.getByTestId('store-ranking').getByTestId('ranking-row');
  const all = await rows.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-store-id') ?? '', selected: e.getAttribute('aria-selected') === 'true' })));
  return { ids: all.map((r) => r.id), selected: all.filter((r) => r.selected).map((r) => r.id) };
}

/** Layout facts of the open dashboard: its box, the page's scroll width and the viewport width. */
export async function dashboardLayout(page: Page): Promise<{ left: number; right: number; width: number; scrollWidth: number; viewport: number; closeVisible: boolean }> {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid="dashboard"]')!.getBoundingClientRect();
    const close = document.querySelector('[data-testid="dashboard-close"]')!.getBoundingClientRect();
    return {
      left: box.left,
      right: box.right,
      width: box.width,
      scrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      closeVisible: close.right <= window.innerWidth && close.left >= 0 && close.width > 0,
    };
  });
}

/** Waits until the URL has (or, with null, has not) query parameter `name` with `value`. */
export async function waitForUrlParam(page: Page, name: string, value: string | null, timeout = 30_000): Promise<void> {
  await page.waitForFunction(({ name, value }) => new URL(location.href).searchParams.get(name) === value, { name, value }, { timeout });
}

/** The drawn points of a chart with a test hook (`chart-timeseries`, `closure-chart`, ...): keys and page positions. */
export async function chartPoints(page: Page, testId: string): Promise<Array<{ key: string; x: number; y: number }>> {
  await page.getByTestId(testId).scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => window.__hexwatchCharts?.[id]?.settled() === true, testId, { timeout: 30_000 });
  return page.evaluate((id) => window.__hexwatchCharts?.[id]?.points() ?? [], testId);
}

/**
 * Clicks the point `key` of a chart (as a mouse does: hover, then click) and waits for the map's
 * answer (`waitForMap: false` when the map has it cached, see clickCategoryBar).
 */
export async function clickChartPoint(page: Page, testId: string, key: string, { waitForMap = true }: { waitForMap?: boolean } = {}): Promise<void> {
  const point = (await chartPoints(page, testId)).find((p) => p.key === key);
  if (!point) throw new Error(`no point ${key} on ${testId}`);
  const click = async () => {
    await page.mouse.move(point.x, point.y);
    await page.waitForTimeout(100);
    await page.mouse.click(point.x, point.y);
  };
  if (waitForMap) await afterMapAnswer(page, click);
  else await click();
}
