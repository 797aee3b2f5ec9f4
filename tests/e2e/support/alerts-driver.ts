/** Domain driver for the alerts list (in the dashboard panel). */
import type { Page } from './browser.js';

export interface AlertRowInfo {
  id: number;
  cell: string;
  acked: boolean;
  store: string;
}

/** Opens the dashboard and waits for its alerts list to hold rows (or settle empty). */
export async function openAlerts(page: Page): Promise<AlertRowInfo[]> {
  await page.getByTestId('dashboard-toggle').click();
  await page.getByTestId('alerts').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => ['ready', 'empty', 'error'].includes(document.querySelector('[data-testid="alerts"]')?.getAttribute('data-state') ?? ''), null, { timeout: 60_000 });
  return alertRows(page);
}

export async function alertRows(page: Page): Promise<AlertRowInfo[]> {
  return page.$$eval('[data-testid="alert"]', (rows) =>
    rows.map((r) => ({
      id: Number(r.getAttribute('data-alert-id')),
      cell: r.getAttribute('data-cell') ?? '',
      acked: r.getAttribute('data-acked') === '1',
      store: r.querySelector('.hw-alert__store')?.textContent?.trim() ?? '',
    })),
  );
}

/** "Show on map" of the alert with this id. */
export async function openAlertOnMap(page: Page, id: number): Promise<void> {
  await page.locator(`[data-testid="alert"][data-alert-id="${id}"] [data-testid="alert-open"]`).click();
}

export async function acknowledgeAlert(page: Page, id: number): Promise<void> {
  await page.locator(`[data-testid="alert"][data-alert-id="${id}"] [data-testid="alert-ack"]`).click();
}
