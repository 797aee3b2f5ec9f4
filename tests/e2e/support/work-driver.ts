/**
 * The store manager's work list, in the app's words: today's list and its count, a row's due
 * label, a close in two taps, the toast. Selectors live here, on stable test ids.
 */
import type { Page } from './browser.js';

export interface WorkRow {
  id: number;
  severity: number;
  due: string;
  next: boolean;
}

/** Waits for the work list with today's section, and reads it. */
export async function todayList(page: Page): Promise<{ count: number; rows: WorkRow[] }> {
  const title = page.getByTestId('work-today-title');
  await title.waitFor({ timeout: 60_000 });
  const count = Number(await title.getAttribute('data-count'));
  const rows = await page.getByTestId('work-today').getByTestId('work-row').evaluateAll((els) =>
    els.map((el) => ({
      id: Number(el.getAttribute('data-incident-id')),
      severity: Number(/hw-badge--sev(\d)/.exec(el.querySelector('.hw-badge')?.className ?? '')?.[1] ?? 0),
      due: el.querySelector('[data-testid="work-due"]')?.textContent ?? '',
      next: el.getAttribute('data-next') === '1',
    })),
  );
  return { count, rows };
}

/** The count on the work button's badge (null without a badge). */
export async function workBadge(page: Page): Promise<number | null> {
  const badge = page.getByTestId('my-work-badge');
  if (!(await badge.count())) return null;
  return Number(await badge.textContent());
}

/** What incidents.myWork answers for the signed-in user (the page's own session). */
export async function myWorkFromApi(page: Page): Promise<{ items: Array<{ id: number; dueAt: string | null; severity: number }>; overdue: number }> {
  return page.evaluate(async () => {
    const res = await fetch(`/trpc/incidents.myWork?input=${encodeURIComponent(JSON.stringify({ limit: 200 }))}`);
    const work = (await res.json()).result.data.work;
    return { items: work.items, overdue: work.overdue };
  });
}

/** The two taps of a close from the list: 闭环 on the row, then confirm (after picking a result and a note). */
export async function closeFromList(page: Page, id: number, opts: { resolution: string; note: string }): Promise<{ taps: number; toast: string }> {
  const row = page.locator(`[data-testid="work-row"][data-incident-id="${id}"]`);
  let taps = 0;
  await row.getByTestId('work-close').click();
  taps++;
  await row.getByTestId('work-resolution').selectOption(opts.resolution);
  await row.getByTestId('work-note').fill(opts.note);
  await row.getByTestId('work-close-confirm').click();
  taps++;
  const toast = page.getByTestId('work-toast');
  await toast.waitFor({ timeout: 30_000 });
  return { taps, toast: (await toast.textContent()) ?? '' };
}

export async function incidentStatusFromApi(page: Page, id: number): Promise<string> {
  return page.evaluate(async (incidentId) => {
    const res = await fetch(`/trpc/incidents.byId?input=${encodeURIComponent(JSON.stringify({ id: incidentId }))}`);
    return (await res.json()).result.data.incident.status as string;
  }, id);
}
