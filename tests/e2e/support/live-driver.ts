/**
 * The live-updates part of the domain driver (issue 14): reporting an incident through the
 * ingest API as the AI pipeline would, the stream's state and the "N new since" counter.
 */
import type { Page } from './browser.js';
import { serverNow } from './driver.js';

/** An open accident reported at the store an hour before the server's now, through the ingest API with a key an admin creates. */
export async function reportAccidentNow(baseUrl: string, storeCode: string): Promise<void> {
  const json = { 'content-type': 'application/json', origin: baseUrl };
  const login = await fetch(`${baseUrl}/trpc/auth.devLogin`, { method: 'POST', headers: json, body: JSON.stringify({ userId: 'demo-admin' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const created = await fetch(`${baseUrl}/trpc/admin.apiKeys.create`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ name: `e2e live ${Date.now()}` }) });
  const { key } = (await created.json()).result.data as { key: string };
  const stores = (await (await fetch(`${baseUrl}/trpc/stores.list`, { headers: { cookie } })).json()).result.data as Array<{ code: string; lat: number; lng: number }>;
  const store = stores.find((s) => s.code === storeCode)!;
  const now = await serverNow(baseUrl);
  const res = await fetch(`${baseUrl}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      incidents: [
        {
          source: 'api',
          externalId: `e2e-live-${Date.now()}-${Math.random().toString(36).slice(2)}`,
          kind: 'accident',
          category: 'vehicle_collision',
          severity: 2,
          occurredAt: new Date(now - 3_600_000).toISOString(),
          lat: store.lat + 0.002,
          lng: store.lng + 0.002,
          storeCode,
        },
      ],
    }),
  });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
}

/** Waits until the page's live stream is open. */
export async function waitForLive(page: Page): Promise<void> {
  await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 30_000 });
}

/** The "N new since HH:MM" counter's text (waits for it). */
export async function newIncidentsText(page: Page): Promise<string> {
  const counter = page.getByTestId('live-new');
  await counter.waitFor({ timeout: 30_000 });
  return (await counter.textContent()) ?? '';
}

/** Marks a page so that a reload (which would clear the mark) can be told apart from live updates. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __liveMark: number }).__liveMark = 1));
}

export async function pageStillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __liveMark?: number }).__liveMark === 1);
}

/** Hides or shows the page as a phone's lock screen or a background tab would (visibilitychange). */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
    Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Waits until the page's live stream is closed (paused). */
export async function waitForLivePaused(page: Page): Promise<void> {
  await page.locator('[data-testid="live-status"][data-connected="false"]').waitFor({ timeout: 30_000 });
}

/** Every live.changes request the page opens from now on, with its input. */
export function recordLiveRequests(page: Page): Array<{ lastEventId?: string }> {
  const seen: Array<{ lastEventId?: string }> = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/trpc/live.changes') seen.push(JSON.parse(url.searchParams.get('input') ?? '{}') as { lastEventId?: string });
  });
  return seen;
}
