/** Domain driver for the alerts list (in the dashboard panel). */
import type { Page } from './browser.js';

/** One card: a place (cell) with the alerts it stands for. */
export interface AlertRowInfo {
  /** The newest alert of the card. */
  id: number;
  ids: number[];
  cell: string;
  acked: boolean;
  /** The stores line (cards grouped by cell), '' otherwise. */
  store: string;
  /** The plain-words line (how strong, how long). */
  plain: string;
  /** The store section the card sits in (cards grouped by store), null otherwise. */
  storeGroup: number | null;
}

/** The alerts of the caller as the API lists them (an independent view of the same data). */
export interface ApiAlert {
  id: number;
  cell: string;
  storeId: number;
  ackedAt: string | null;
}

/** Opens the dashboard and waits for its alerts list to hold rows (or settle empty). */
export async function openAlerts(page: Page): Promise<AlertRowInfo[]> {
  await page.getByTestId('dashboard-toggle').click();
  await page.getByTestId('alerts').waitFor({ timeout: 60_000 });
  await waitForAlertsSettled(page);
  return alertRows(page);
}

export async function waitForAlertsSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const list = document.querySelector('[data-testid="alerts"]');
      return ['ready', 'empty', 'error'].includes(list?.getAttribute('data-state') ?? '') && list?.getAttribute('aria-busy') !== 'true';
    },
    null,
    { timeout: 60_000 },
  );
}

export async function alertRows(page: Page): Promise<AlertRowInfo[]> {
  return page.$$eval('[data-testid="alert"]', (rows) =>
    rows.map((r) => ({
      id: Number(r.getAttribute('data-alert-id')),
      ids: (r.getAttribute('data-alert-ids') ?? '').split(',').filter(Boolean).map(Number),
      cell: r.getAttribute('data-cell') ?? '',
      acked: r.getAttribute('data-acked') === '1',
      store: r.querySelector('.hw-alert__store')?.textContent?.trim() ?? '',
      plain: r.querySelector('[data-testid="alert-plain"]')?.textContent?.trim() ?? '',
      storeGroup: r.closest('[data-testid="alert-store-group"]') ? Number(r.closest('[data-testid="alert-store-group"]')!.getAttribute('data-store-id')) : null,
    })),
  );
}

/** The number on the dashboard button (alert cards to acknowledge); null when it shows none. */
export async function alertsBadge(page: Page): Promise<number | null> {
  const badge = page.getByTestId('alerts-badge');
  if ((await badge.count()) === 0) return null;
  return Number(await badge.getAttribute('data-count'));
}

/** `alerts.list` through tRPC over HTTP with the page's session cookie. */
export async function alertsFromApi(page: Page, input: { acked?: boolean; limit?: number } = {}): Promise<ApiAlert[]> {
  return page.evaluate(async (inp) => {
    const res = await fetch('/trpc/alerts.list?input=' + encodeURIComponent(JSON.stringify(inp)), { credentials: 'same-origin' });
    return ((await res.json()) as { result: { data: { items: Array<{ id: number; cell: string; storeId: number; ackedAt: string | null }> } } }).result.data.items;
  }, { limit: 200, ...input });
}

/** "Show on map" of the card whose newest alert has this id. */
export async function openAlertOnMap(page: Page, id: number): Promise<void> {
  await page.locator(`[data-testid="alert"][data-alert-id="${id}"] [data-testid="alert-open"]`).click();
}

export async function acknowledgeAlert(page: Page, id: number): Promise<void> {
  await page.locator(`[data-testid="alert"][data-alert-id="${id}"] [data-testid="alert-ack"]`).click();
}

/** "Acknowledge all" above the list. */
export async function acknowledgeAll(page: Page): Promise<void> {
  await page.getByTestId('alerts-ack-all').click();
}
