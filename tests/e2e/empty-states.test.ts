/**
 * Empty states (issue 19), on a 1440x900 desktop as an analyst: the map's empty notice gives the
 * advice that fits the cause (the chosen store stands elsewhere; nothing at this place and time)
 * and never covers the open panel's "← 列表" button.
 */
import { describe, expect, test } from 'vitest';
import { signInAs } from './support/driver.js';
import type { Page } from './support/browser.js';
import { useE2eSession } from './support/session.js';

const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' } as const;
const FUZHOU = 'lat=26.08&lng=119.29&z=12';

async function emptyNotice(page: Page): Promise<{ cause: string; text: string }> {
  const notice = page.getByTestId('map-empty');
  await notice.waitFor({ timeout: 60_000 });
  return { cause: (await notice.getAttribute('data-cause')) ?? '', text: (await notice.textContent()) ?? '' };
}

describe('empty states (issue 19)', { timeout: 150_000 }, () => {
  const session = useE2eSession();

  test('nothing at this place and time: the advice says so, and the notice leaves the panel\'s ← 列表 free', async () => {
    const { page } = await session.newPage(DESKTOP);
    await signInAs(page, 'demo-analyst');
    await page.goto(`/?${FUZHOU}&from=2001-01-01&to=2001-01-31&cell=8841b530adfffff&incident=1`);
    const notice = await emptyNotice(page);
    expect(notice.cause).toBe('noStore');
    expect(notice.text).toContain('放宽时间范围');
    const back = page.getByTestId('detail-back');
    await back.waitFor({ timeout: 30_000 });
    const free = await back.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const n = document.querySelector('[data-testid="map-empty"]')!.getBoundingClientRect();
      const overlaps = r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom;
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { overlaps, topmost: top === el || el.contains(top) };
    });
    expect(free).toEqual({ overlaps: false, topmost: true });
  });

  test('a store chosen while the map stands in another city: the advice is to go to the store, not to widen the time', async () => {
    const { page } = await session.newPage(DESKTOP);
    await signInAs(page, 'demo-analyst');
    const xiamen = await page.evaluate(async () => {
      const res = await fetch('/trpc/stores.list');
      const stores = ((await res.json()) as { result: { data: Array<{ id: number; code: string }> } }).result.data;
      return stores.find((s) => s.code.startsWith('XM-'))!.id;
    });
    await page.goto(`/?${FUZHOU}&store=${xiamen}`);
    const notice = await emptyNotice(page);
    expect(notice.cause).toBe('storeElsewhere');
    expect(notice.text).toContain('所选门店不在当前地图范围内');
    expect(notice.text).not.toContain('放宽时间范围');
  });
});
