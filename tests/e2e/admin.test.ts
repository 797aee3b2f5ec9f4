import { describe, expect, test } from 'vitest';
import { apiKeyRow, apiKeysText, createApiKey, dismissCreatedKey, hasAdminEntry, openAdmin, revokeApiKey, setStoreRadius, storeRow, storesList } from './support/admin-driver.js';
import { serverNow, signInAs } from './support/driver.js';
import { useE2eSession } from './support/session.js';

/** A small valid batch for `POST /api/v1/incidents`: one AI detection at the store's location. */
function batch(store: { code: string; lat: number; lng: number }, externalId: string, nowMs: number) {
  return {
    incidents: [
      {
        source: 'ai_vision',
        externalId,
        kind: 'exception',
        category: 'no_helmet',
        severity: 2,
        occurredAt: new Date(nowMs - 3_600_000).toISOString(),
        lat: store.lat,
        lng: store.lng,
        storeCode: store.code,
        riderId: 'R-e2e',
        description: 'no helmet (admin e2e)',
        ai: { label: 'no_helmet', confidence: 0.9 },
      },
    ],
  };
}

async function postIncidents(baseUrl: string, key: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

describe('administration (issue 7)', () => {
  const session = useE2eSession();

  test('an admin creates an API key, sees it once, and it works for the ingest API until revoked', { timeout: 180_000 }, async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-admin');
    const store = (await storesList(page)).find((s) => s.code === 'FZ-001')!;
    await openAdmin(page, 'apiKeys');

    const name = `pipeline-${Date.now()}`;
    const created = await createApiKey(page, name);
    expect(created.key.length).toBeGreaterThan(20);
    expect(created.warning).toMatch(/not see it again/);
    expect((await apiKeyRow(page, name)).revoked).toBe(false);

    const first = await postIncidents(session.url, created.key, batch(store, `admin-e2e-${name}-1`, await serverNow(session.url)));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: 1, inserted: 1 });

    // Shown once: after "I have stored it" the key is nowhere on the screen, nor after reopening.
    await dismissCreatedKey(page);
    expect(await apiKeysText(page)).not.toContain(created.key);
    await page.reload();
    await openAdmin(page, 'apiKeys');
    await apiKeyRow(page, name);
    expect(await apiKeysText(page)).not.toContain(created.key);

    await revokeApiKey(page, name);
    const refused = await postIncidents(session.url, created.key, batch(store, `admin-e2e-${name}-2`, await serverNow(session.url)));
    expect(refused.status).toBe(401);
  });

  test("an admin changes a store's delivery radius and stores.list has it", { timeout: 180_000 }, async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-admin');
    await openAdmin(page, 'stores');
    const before = await storeRow(page, 'FZ-002');
    const radiusM = before.radiusM === 4321 ? 4322 : 4321;

    await setStoreRadius(page, 'FZ-002', radiusM);
    expect((await storeRow(page, 'FZ-002')).text).toContain(`${(radiusM / 1000).toFixed(1)} km`);
    const listed = (await storesList(page)).find((s) => s.code === 'FZ-002');
    expect(listed?.radiusM).toBe(radiusM);
  });

  test('an analyst has no admin entry', { timeout: 120_000 }, async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    expect(await hasAdminEntry(page)).toBe(false);
  });
});
