/**
 * The alerts list in a real browser, on the small demo: the demo runs one alert scan after
 * seeding (issue 20), so a fresh deployment has alerts to show. What the rows must hold is read
 * from the server's own API (an independent view of the same data), not from the client code.
 */
import { describe, expect, test } from 'vitest';
import { acknowledgeAlert, alertRows, openAlertOnMap, openAlerts } from './support/alerts-driver.js';
import { signInAs, urlParams } from './support/driver.js';
import { useE2eSession } from './support/session.js';

const SLOW = 180_000;

describe('alerts list (issue 20)', () => {
  const session = useE2eSession();

  test('a fresh demo lists the alerts of the scan after seeding, and one opens its cell on the map', { timeout: SLOW }, async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    const rows = await openAlerts(page);
    // the same list through tRPC over HTTP with the page's session cookie
    const api = await page.evaluate(async () => {
      const res = await fetch('/trpc/alerts.list?input=' + encodeURIComponent(JSON.stringify({})), { credentials: 'same-origin' });
      return ((await res.json()) as { result: { data: { items: Array<{ id: number; cell: string }> } } }).result.data.items;
    });
    expect(api.length).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id)).toEqual(api.slice(0, rows.length).map((a) => a.id));
    expect(rows.every((r) => /^[0-9a-f]{15}$/.test(r.cell) && r.store.length > 0)).toBe(true);

    const first = rows[0]!;
    await openAlertOnMap(page, first.id);
    await page.waitForFunction((cell) => new URL(location.href).searchParams.get('cell') === cell, first.cell, { timeout: 60_000 });
    expect((await urlParams(page)).cell).toBe(first.cell);
    await page.getByTestId('cell-panel').waitFor({ timeout: 60_000 });
  });

  test('an analyst acknowledges an alert; it leaves the unacknowledged list and shows acknowledged under all', { timeout: SLOW }, async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    const rows = await openAlerts(page);
    expect(rows.length).toBeGreaterThan(0);
    const target = rows.find((r) => !r.acked)!;
    await acknowledgeAlert(page, target.id);
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="alert"][data-alert-id="${id}"]`), target.id, { timeout: 30_000 });
    await page.getByTestId('alerts-all').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="alert"][data-alert-id="${id}"]`)?.getAttribute('data-acked') === '1', target.id, { timeout: 30_000 });
    expect((await alertRows(page)).find((r) => r.id === target.id)?.acked).toBe(true);
  });
});
