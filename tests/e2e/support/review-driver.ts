/**
 * The AI review in the app's words: open a detection from the review queue, see whether the photo
 * and the decision are on screen together, reject with a quick reason, read the timeline.
 */
import type { Page } from './browser.js';
import { trpcFromPage } from './driver.js';

/** Waits for the work list's review queue and opens its first detection (`skip` rows down); returns its id. */
export async function openFromReviewQueue(page: Page, skip = 0): Promise<number> {
  const row = page.getByTestId('review-queue').getByTestId('incident-row').nth(skip);
  await row.waitFor({ timeout: 60_000 });
  const id = Number(await row.getAttribute('data-incident-id'));
  await row.locator('button').click();
  await page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"] [data-testid="detail-status"]`).waitFor({ timeout: 30_000 });
  return id;
}

export interface OnScreen {
  /** Whole inside the viewport, and the topmost element at its centre (not covered). */
  photo: boolean;
  confirm: boolean;
  reject: boolean;
  /** How far the detail's body is scrolled (0: nothing scrolled). */
  scrolled: number;
}

/** Whether the photo (loaded) and both decision buttons are visible in the viewport at once, as the page stands. */
export async function reviewOnScreen(page: Page): Promise<OnScreen> {
  await page.getByTestId('detail-photo').evaluate(async (el) => {
    const image = el as HTMLImageElement;
    if (!image.complete) await new Promise((r) => image.addEventListener('load', r, { once: true }));
  });
  return page.evaluate(() => {
    const visible = (testId: string) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="incident-detail"] [data-testid="${testId}"]`);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return false;
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top === el || el.contains(top);
    };
    const body = document.querySelector('[data-testid="incident-detail"] .hw-detail__body');
    return { photo: visible('detail-photo'), confirm: visible('action-confirm'), reject: visible('action-reject'), scrolled: body?.scrollTop ?? 0 };
  });
}

/** 标记误报, then a quick reason (`other` with `note`). */
export async function rejectWithReason(page: Page, reason: 'false_detection' | 'unclear_image' | 'not_rider' | 'other', note?: string): Promise<void> {
  await page.getByTestId('action-reject').click();
  await page.getByTestId(`reject-reason-${reason}`).click();
  if (reason === 'other') {
    await page.getByTestId('reject-other-note').fill(note ?? '');
    await page.getByTestId('reject-other-submit').click();
  }
}

export interface TimelineEntry {
  kind: string;
  decision: string | null;
  what: string;
  note: string;
}

/** The detail's timeline as shown. */
export async function timeline(page: Page): Promise<TimelineEntry[]> {
  return page.getByTestId('timeline-event').evaluateAll((els) =>
    els.map((el) => ({
      kind: el.getAttribute('data-kind') ?? '',
      decision: el.getAttribute('data-decision'),
      what: el.querySelector('.hw-timeline__what')?.textContent?.trim() ?? '',
      note: el.querySelector('.hw-timeline__note')?.textContent?.trim() ?? '',
    })),
  );
}

/** incidents.byId over HTTP with the page's session: the incident's review state and its events. */
export async function incidentFromApi(page: Page, id: number): Promise<{ status: string; review: string | null; events: Array<{ kind: string; note: string | null }> }> {
  return page.evaluate(async (incidentId) => {
    const res = await fetch(`/trpc/incidents.byId?input=${encodeURIComponent(JSON.stringify({ id: incidentId }))}`);
    const data = ((await res.json()) as { result: { data: { incident: { status: string; review: string | null }; events: Array<{ kind: string; note: string | null }> } } }).result.data;
    return { status: data.incident.status, review: data.incident.review, events: data.events };
  }, id);
}

/**
 * Detections awaiting review at the store `storeCode`, planted through the ingest API as the AI
 * pipeline sends them: the fixed-now demo (HEXWATCH_NOW, DEMO_SEED) may hold none at a given store,
 * since the demo's reviews are decided within hours. `adminPage` is signed in as an admin, who
 * issues the API key. The detections occurred an hour before the server's now, photos included
 * (`<publicUrl>/media/detections/<externalId>.svg`: the server renders one for any detection,
 * and shows photos on its own PUBLIC_URL).
 */
export async function plantPendingDetections(adminPage: Page, baseUrl: string, publicUrl: string, storeCode: string, count: number): Promise<void> {
  const { key } = await trpcFromPage<{ key: string }>(adminPage, 'admin.apiKeys.create', { name: `e2e review ${Date.now()}` }, true);
  const stores = await trpcFromPage<Array<{ code: string; lat: number; lng: number }>>(adminPage, 'stores.list', undefined);
  const store = stores.find((s) => s.code === storeCode);
  if (!store) throw new Error(`no store ${storeCode}`);
  const { now } = await trpcFromPage<{ now: string }>(adminPage, 'config.client', undefined);
  const occurredAt = new Date(Date.parse(now) - 60 * 60_000).toISOString();
  const incidents = Array.from({ length: count }, (_, i) => {
    const externalId = `e2e-review-${storeCode}-${i}`;
    return {
      source: 'ai_vision',
      externalId,
      kind: 'exception',
      category: 'no_helmet',
      severity: 3,
      occurredAt,
      lat: store.lat + 0.001 * (i + 1),
      lng: store.lng,
      storeCode,
      riderId: `R-E2E-${i}`,
      photoUrls: [`${publicUrl}/media/detections/${externalId}.svg`],
      ai: { label: 'no_helmet', confidence: 0.9 },
    };
  });
  const res = await fetch(`${baseUrl}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ incidents }),
  });
  if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
}
