/**
 * The alerts list in a real browser, on the small demo, on a 390x844 phone in Chinese. The demo
 * runs one alert scan after seeding (issue 20), so a fresh deployment has alerts to show. Issue
 * 19: an analyst sees one card per hot cell (the stores around it on the card), a store manager
 * their store with a card per cell; a badge on the dashboard button counts the cards still to
 * acknowledge; plain words instead of "z ="; one tap acknowledges them all. What the cards must
 * hold is computed here from the server's own API (`alerts.list` over HTTP), not from client code.
 */
import { describe, expect, test } from 'vitest';
import { latinRunsOutsideGlossary } from '../../server/domain/glossary.js';
import {
  acknowledgeAlert,
  acknowledgeAll,
  alertRows,
  alertsBadge,
  alertsFromApi,
  openAlertOnMap,
  openAlerts,
  waitForAlertsSettled,
} from './support/alerts-driver.js';
import type { ApiAlert } from './support/alerts-driver.js';
import type { Page } from './support/browser.js';
import { signInAs, urlParams } from './support/driver.js';
import { useE2eSession } from './support/session.js';

const SLOW = 180_000;
const PHONE = { viewport: { width: 390, height: 844 }, mobile: true, locale: 'zh-CN' } as const;

/** The API's alerts by key, in first-seen order (the list is newest first). */
function byKey(alerts: ApiAlert[], key: (a: ApiAlert) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of alerts) out.set(key(a), [...(out.get(key(a)) ?? []), a.id]);
  return out;
}

describe('alerts list (issues 19, 20)', () => {
  const session = useE2eSession();

  /** The demo manager whose store the scan after seeding alerted (the test plants nothing), signed in. */
  async function managerWithAlerts(): Promise<{ page: Page; api: ApiAlert[] }> {
    for (const manager of ['demo-manager-fz', 'demo-manager-xm']) {
      const { page } = await session.newPage(PHONE);
      await signInAs(page, manager);
      const api = await alertsFromApi(page, { acked: false });
      if (api.length) return { page, api };
    }
    throw new Error('no demo manager has an alert to acknowledge');
  }

  test('a store manager sees their store with a card per cell; 全部确认 acknowledges them all and the badge goes', { timeout: SLOW }, async () => {
    const { page, api } = await managerWithAlerts();
    const cards = byKey(api, (a) => `${a.storeId}:${a.cell}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts-badge"]') !== null, null, { timeout: 60_000 });
    expect(await alertsBadge(page)).toBe(cards.size);

    const rows = await openAlerts(page);
    expect(rows.map((r) => `${r.storeGroup}:${r.cell}`).sort()).toEqual([...cards.keys()].sort());
    const stores = await page.$$eval('[data-testid="alert-store-group"]', (groups) => groups.map((g) => Number(g.getAttribute('data-store-id'))));
    expect(stores.sort()).toEqual([...new Set(api.map((a) => a.storeId))].sort());

    await acknowledgeAll(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts"]')?.getAttribute('data-state') === 'empty', null, { timeout: 30_000 });
    await waitForAlertsSettled(page);
    expect(await alertsFromApi(page, { acked: false })).toEqual([]);
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts-badge"]') === null, null, { timeout: 30_000 });
    expect(await alertsBadge(page)).toBeNull();
  });

  test('an analyst sees one card per hot cell, in plain words, with a badge of the cells to acknowledge; a card opens its cell on the map', { timeout: SLOW }, async () => {
    const { page } = await session.newPage(PHONE);
    await signInAs(page, 'demo-analyst');
    const api = await alertsFromApi(page, { acked: false });
    expect(api.length).toBeGreaterThan(0); // the scan after seeding raised some
    const cells = byKey(api, (a) => a.cell);
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts-badge"]') !== null, null, { timeout: 60_000 });
    expect(await alertsBadge(page)).toBe(cells.size);

    const rows = await openAlerts(page);
    // one card per cell, in the order of each cell's newest alert, standing for all its alerts
    expect(rows.map((r) => r.cell)).toEqual([...cells.keys()]);
    for (const row of rows) expect(row.ids).toEqual(cells.get(row.cell));
    expect(rows.every((r) => /^[0-9a-f]{15}$/.test(r.cell) && r.store.startsWith('周边门店：') && !r.acked)).toBe(true);
    // plain words, not the statistic
    expect(rows.every((r) => /^(比周边高出很多|明显高于周边|略高于周边) · (连续 \d+ 周热点|最近一周成为热点)$/.test(r.plain))).toBe(true);
    const text = await page.getByTestId('alerts').innerText();
    expect(text).not.toMatch(/z\s*=/);
    expect(latinRunsOutsideGlossary(text)).toEqual([]);

    const first = rows[0]!;
    await openAlertOnMap(page, first.id);
    await page.waitForFunction((cell) => new URL(location.href).searchParams.get('cell') === cell, first.cell, { timeout: 60_000 });
    expect((await urlParams(page)).cell).toBe(first.cell);
    await page.getByTestId('cell-panel').waitFor({ timeout: 60_000 });
  });

  test('an analyst acknowledges a card: all its alerts, it leaves the list and the badge, and shows acknowledged under 全部', { timeout: SLOW }, async () => {
    const { page } = await session.newPage(PHONE);
    await signInAs(page, 'demo-analyst');
    const rows = await openAlerts(page);
    const badgeBefore = await alertsBadge(page);
    const target = rows.find((r) => !r.acked)!;
    await acknowledgeAlert(page, target.id);
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="alert"][data-alert-id="${id}"]`), target.id, { timeout: 30_000 });
    const api = await alertsFromApi(page);
    expect(api.filter((a) => a.cell === target.cell).every((a) => a.ackedAt !== null)).toBe(true);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="alerts-badge"]')?.getAttribute('data-count') ?? 0) === n, badgeBefore! - 1, { timeout: 30_000 });
    await page.getByTestId('alerts-all').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="alert"][data-alert-id="${id}"]`)?.getAttribute('data-acked') === '1', target.id, { timeout: 30_000 });
    expect((await alertRows(page)).find((r) => r.id === target.id)?.acked).toBe(true);
  });

});
