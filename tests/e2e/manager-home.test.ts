/**
 * The store manager's day on a phone (issue 19), at 390x844 in Chinese: the first screen is
 * today's work with the count the server's work list gives, most severe first; an incident is
 * closed from the list in two taps, with a toast, and the next item is marked.
 */
import { describe, expect, test } from 'vitest';
import { latinRunsOutsideGlossary, zhVariantsIn } from '../../server/domain/glossary.js';
import { serverNow, signInAs } from './support/driver.js';
import { closeFromList, incidentStatusFromApi, myWorkFromApi, todayList, workBadge } from './support/work-driver.js';
import { useE2eSession } from './support/session.js';

const PHONE_390 = { width: 390, height: 844 };
/** `HEXWATCH_SCREENSHOTS=docs/screenshots npx vitest run tests/e2e/manager-home.test.ts` refreshes the README's pictures. */
const SHOTS = process.env.HEXWATCH_SCREENSHOTS;
const MANAGER = 'demo-manager-fz';

describe('the store manager\'s day on a phone (issue 19)', { timeout: 120_000 }, () => {
  const session = useE2eSession();

  test('the first screen is today\'s work, with the counts of incidents.myWork, most severe first', async () => {
    const { page } = await session.newPage({ viewport: PHONE_390, mobile: true, locale: 'zh-CN' });
    await signInAs(page, MANAGER);
    const today = await todayList(page);
    // the same rule written out here: overdue, or due before the phone's midnight
    const api = await myWorkFromApi(page);
    // the phone's midnight after the server's now (test servers run at a fixed instant)
    const now = await serverNow(session.url);
    const midnight = await page.evaluate((nowMs) => {
      const d = new Date(nowMs);
      d.setHours(24, 0, 0, 0);
      return d.getTime();
    }, now);
    const expected = api.items.filter((i) => i.dueAt !== null && Date.parse(i.dueAt) < midnight);
    expect(today.count).toBe(expected.length);
    expect(today.rows.map((r) => r.id).sort()).toEqual(expected.map((i) => i.id).sort());
    expect(today.count).toBeGreaterThan(0); // the demo always has overdue work at FZ-001
    expect(await workBadge(page)).toBe(Math.min(99, today.count));
    // most severe first, and the due label in words
    const severities = today.rows.map((r) => r.severity);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    expect(today.rows[0]!.due).toMatch(/^(超期|还剩) \d+ (分钟|小时|天)$/);
    // the store's KPI strip sits on top of the list
    await expect(page.getByTestId('kpi-strip').textContent()).resolves.toMatch(/本月闭环率/);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/manager-home.png` });
  });

  test('the Chinese first screen has no Latin words but proper names, and the glossary\'s words', async () => {
    const { page } = await session.newPage({ viewport: PHONE_390, mobile: true, locale: 'zh-CN' });
    await signInAs(page, MANAGER);
    await todayList(page);
    await page.getByTestId('kpi-strip').waitFor();
    const text = await page.evaluate(() => document.body.innerText);
    expect(latinRunsOutsideGlossary(text)).toEqual([]);
    expect(zhVariantsIn(text)).toEqual([]);
    expect(text).toContain('今日');
  });

  test('closes an incident from the list in two taps, with a toast, and marks the next item', async () => {
    const { page } = await session.newPage({ viewport: PHONE_390, mobile: true, locale: 'zh-CN' });
    await signInAs(page, MANAGER);
    const before = await todayList(page);
    const first = before.rows[0]!;
    if (SHOTS) {
      await page.locator(`[data-testid="work-row"][data-incident-id="${first.id}"]`).getByTestId('work-close').click();
      await page.getByTestId('work-resolution').selectOption('rider_coached');
      await page.getByTestId('work-note').fill('已和骑手沟通路口规则');
      await page.screenshot({ path: `${SHOTS}/manager-close.png` });
      await page.getByRole('button', { name: '取消' }).first().click();
    }
    const { taps, toast } = await closeFromList(page, first.id, { resolution: 'rider_coached', note: '已和骑手沟通路口规则' });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/manager-closed.png` });
    expect(taps).toBe(2);
    expect(toast).toContain(`已闭环 #${first.id}`);
    expect(await incidentStatusFromApi(page, first.id)).toBe('closed');
    await page.locator(`[data-testid="work-row"][data-incident-id="${first.id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    const after = await todayList(page);
    expect(after.count).toBe(before.count - 1);
    if (after.rows.length) expect(after.rows.find((r) => r.next)?.id).toBe(before.rows[1]!.id);
  });
});
