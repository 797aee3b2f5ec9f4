/**
 * The AI review on a phone (issue 19), at 390x844 in Chinese, as the store manager of FZ-001: the
 * detection's photo and 确认识别 / 标记误报 are on screen together without scrolling; a false alarm
 * takes a quick reason, which the server records as the review's note and the timeline shows
 * with the decision (审核：误报 · 图片不清); a confirmation shows 审核：已确认, never the status.
 * A missing incident says so, without 重试.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { latinRunsOutsideGlossary } from '../../server/domain/glossary.js';
import { freePort } from '../support/postgres-server.js';
import { signInAs } from './support/driver.js';
import { incidentFromApi, openFromReviewQueue, plantPendingDetections, rejectWithReason, reviewOnScreen, timeline } from './support/review-driver.js';
import { useE2eSession } from './support/session.js';

const PHONE = { viewport: { width: 390, height: 844 }, mobile: true, locale: 'zh-CN' } as const;
const MANAGER = 'demo-manager-fz';

describe('the AI review on a phone (issue 19)', { timeout: 120_000 }, () => {
  // PUBLIC_URL on the server's own origin: the planted detections' photos (absolute URLs, as the
  // ingest API requires) are then the server's own media, which the photo policy lets through
  let publicUrl = '';
  const session = useE2eSession(async () => {
    publicUrl = `http://localhost:${await freePort()}`; // the origin the pages open (server.url)
    return { PORT: new URL(publicUrl).port, PUBLIC_URL: publicUrl };
  });

  // the fixed-now demo's FZ-001 may have nothing awaiting review: each test below decides one
  beforeAll(async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-admin');
    await plantPendingDetections(page, session.url, publicUrl, 'FZ-001', 4);
  }, 120_000);

  test('the photo and both decision buttons are on screen at once, without scrolling', async () => {
    const { page } = await session.newPage(PHONE);
    await signInAs(page, MANAGER);
    await openFromReviewQueue(page);
    const seen = await reviewOnScreen(page);
    expect(seen).toEqual({ photo: true, confirm: true, reject: true, scrolled: 0 });
    // what the review shows is Chinese, the AI's label included (the demo's descriptions are data, not UI)
    const text = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="incident-detail"] :is(.hw-detail__head, figcaption, [data-testid="review-bar"], .hw-panel__header)')]
        .map((el) => (el as HTMLElement).innerText)
        .join('\n'),
    );
    expect(text).toMatch(/AI：\S+（\d+%）/);
    expect(latinRunsOutsideGlossary(text)).toEqual([]);
  });

  test('a quick reason rejects in two taps; the server keeps it as the note and the timeline shows 误报 and the reason', async () => {
    const { page } = await session.newPage(PHONE);
    await signInAs(page, MANAGER);
    const id = await openFromReviewQueue(page);
    await rejectWithReason(page, 'unclear_image');
    await page.waitForFunction(
      (incidentId) => document.querySelector(`[data-testid="incident-detail"][data-incident-id="${incidentId}"] [data-testid="detail-status"]`)?.getAttribute('data-status') === 'dismissed',
      id,
      { timeout: 30_000 },
    );
    const api = await incidentFromApi(page, id);
    expect(api).toMatchObject({ status: 'dismissed', review: 'rejected' });
    expect(api.events.filter((e) => e.kind === 'review').map((e) => e.note)).toEqual(['图片不清']);
    const review = (await timeline(page)).filter((e) => e.kind === 'review');
    expect(review).toEqual([{ kind: 'review', decision: 'rejected', what: '审核：误报', note: '图片不清' }]);
    await expect(page.getByTestId('review-bar').count()).resolves.toBe(0); // decided: no more buttons
  });

  test('其他 needs words; a confirmation shows 审核：已确认, not the status', async () => {
    const { page } = await session.newPage(PHONE);
    await signInAs(page, MANAGER);
    const id = await openFromReviewQueue(page);
    await page.getByTestId('action-reject').click();
    await page.getByTestId('reject-reason-other').click();
    await expect(page.getByTestId('reject-other-submit').isDisabled()).resolves.toBe(true);
    await page.getByTestId('reject-other-note').fill('是行人，不是骑手的车');
    await expect(page.getByTestId('reject-other-submit').isDisabled()).resolves.toBe(false);
    // changed their mind: back to the decision, and confirm
    await page.getByTestId('reject-other-back').click();
    await page.getByTestId('reject-cancel').click();
    await page.getByTestId('action-confirm').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="timeline-event"][data-kind="review"]') !== null, null, { timeout: 30_000 });
    const review = (await timeline(page)).filter((e) => e.kind === 'review');
    expect(review).toEqual([{ kind: 'review', decision: 'confirmed', what: '审核：已确认', note: '' }]);
    expect((await incidentFromApi(page, id)).review).toBe('confirmed');
  });

  test('a missing incident says 该事件不存在, without 重试', async () => {
    const { page } = await session.newPage(PHONE);
    await signInAs(page, MANAGER);
    await page.goto('/?incident=987654321');
    await page.getByTestId('detail-not-found').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('detail-not-found').textContent()).resolves.toContain('该事件不存在');
    const detail = await page.getByTestId('incident-detail').innerText();
    expect(detail).not.toContain('重试');
  });
});
