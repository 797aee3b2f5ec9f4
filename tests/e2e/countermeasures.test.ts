/**
 * Countermeasures in the browser: made from a clicked hexagon, their panel with the before/after
 * chart, and their cell outlined on the map. The panel's counts are checked against the incident
 * list of the same cell, store, kind and days (another query than the evaluation's).
 */
import { describe, expect, test } from 'vitest';
import { clickHexagon, serverNow, signInAs, urlParams, waitForHexagons } from './support/driver.js';
import { countermeasurePanel, createCountermeasureFromCell, outlinedCells } from './support/countermeasure-driver.js';
import { useE2eSession } from './support/session.js';

const DAY_MS = 86_400_000;

/** The Beijing-time day `days` before `nowMs` (the demo's cities are UTC+8) and the instant it starts. */
function beijingDay(nowMs: number, days: number): { date: string; startMs: number } {
  const date = new Date(nowMs + 8 * 3_600_000 - days * DAY_MS).toISOString().slice(0, 10);
  return { date, startMs: Date.parse(`${date}T00:00:00+08:00`) };
}

describe('countermeasures', { timeout: 180_000 }, () => {
  const session = useE2eSession();

  test('an analyst makes a countermeasure from a clicked hexagon and sees its panel and its outline', async () => {
    const { page, consoleErrors } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page);
    const { cell } = await clickHexagon(page);
    const start = beijingDay(await serverNow(session.url), 14);
    const id = await createCountermeasureFromCell(page, cell, { title: 'Speed bumps at the school gate', owner: 'Wang Fang', startDate: start.date });
    expect((await urlParams(page)).cm).toBe(String(id));

    const view = await countermeasurePanel(page, id);
    expect(view.title).toBe('Speed bumps at the school gate');
    // two weeks after the start: too early, over two-week windows
    expect(view.verdict).toBe('too_early');
    expect(view.windows.join(' ')).toMatch(/Before: \d+ in 2\.0 weeks/);

    // the same counts from the incident list of the cell: the countermeasure's store, accidents, the windows' days
    const chosen = await page.evaluate(async (cmId) => {
      const res = await fetch(`/trpc/countermeasures.byId?input=${encodeURIComponent(JSON.stringify({ id: cmId }))}`);
      return ((await res.json()) as { result: { data: { storeId: number } } }).result.data.storeId;
    }, id);
    const count = (from: number, to: number) =>
      page.evaluate(
        async ({ cell, storeId, from, to }) => {
          const input = { cell, limit: 1, filters: { storeIds: [storeId], kinds: ['accident'], from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
          const res = await fetch(`/trpc/incidents.list?input=${encodeURIComponent(JSON.stringify(input))}`);
          return ((await res.json()) as { result: { data: { total: number } } }).result.data.total;
        },
        { cell, storeId: chosen, from, to },
      );
    expect(view.before).toBe(await count(start.startMs - 14 * DAY_MS, start.startMs));
    expect(view.after).toBe(await count(start.startMs, start.startMs + 14 * DAY_MS));

    // the map outlines the cell; closing the panel and clicking the cell again lists it there
    await page.waitForFunction((c) => window.__hexwatch?.outlines.includes(c) === true, cell, { timeout: 15_000 });
    expect(await outlinedCells(page)).toContain(cell);
    await page.getByTestId('cm-panel-close').click();
    await page.goto(`${session.url}/?cell=${cell}`);
    await page.locator(`[data-testid="cm-open"][data-countermeasure-id="${id}"]`).click();
    expect((await countermeasurePanel(page, id)).title).toBe('Speed bumps at the school gate');
    expect(consoleErrors).toEqual([]);
  });

  test('a viewer cannot make one', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-viewer');
    await waitForHexagons(page);
    const { cell } = await clickHexagon(page);
    const panel = page.locator(`[data-testid="cell-panel"][data-cell="${cell}"]`);
    await panel.getByTestId('cell-countermeasures').waitFor();
    expect(await panel.getByTestId('cm-new').count()).toBe(0);
  });
});
