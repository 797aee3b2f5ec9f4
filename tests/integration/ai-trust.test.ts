/**
 * AI trust on both engines over the small demo: the figures equal a computation in plain JS over
 * the demo's own generated rows (the same rows seedDemo wrote), the review queue is in expected-
 * value order, bulk confirmation respects the admins' threshold and the caller's stores, and the
 * suggested threshold equals a brute-force search over the stored decisions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIncidents } from '../../data/demo/incidents.js';
import { buildDemoPlan } from '../../data/demo/plan.js';
import { seedDemo } from '../../data/demo/seed.js';
import { validateBatch } from '../../server/api/ingest.js';
import { SLA_HOURS_BY_SEVERITY } from '../../server/domain/incident.js';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { callerFor, user } from '../support/caller.js';
import { engines } from '../support/engines.js';
import { seedPlaces } from '../support/fixtures.js';
import { apiRecord } from '../support/ingest-client.js';

const NOW = new Date('2024-06-15T04:00:00Z');
const HOUR_MS = 3_600_000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

describe.each(engines())('AI trust on $engine', ({ open }) => {
  let store: IncidentStore;
  let rows: IncidentInput[];

  beforeAll(async () => {
    store = await open();
    await seedDemo(store, { size: 'small', seed: 1, now: NOW });
    const plan = buildDemoPlan('small', 1, NOW);
    const cities = new Map((await store.listCities()).map((c) => [c.key, c.id]));
    const stores = new Map((await store.listStores({ all: true })).map((s) => [s.code, s.id]));
    const ids = { cityIds: plan.cities.map((c) => cities.get(c.key)!), storeIds: plan.stores.map((s) => stores.get(s.code)!) };
    rows = [...generateIncidents(plan, ids, SLA_HOURS_BY_SEVERITY)].filter((r) => r.review !== null);
  });
  afterAll(async () => {
    await store.close();
  });

  it('equals an independent computation over the demo review history, per category and month', async () => {
    const figures = await store.aiTrust.figures({ now: NOW }, { all: true });
    const categories = [...new Set(rows.map((r) => r.category))].sort();
    expect(figures.byCategory.map((c) => c.category)).toEqual(categories);
    for (const category of categories) {
      const mine = rows.filter((r) => r.category === category);
      const confirmed = mine.filter((r) => r.review === 'confirmed').length;
      const rejected = mine.filter((r) => r.review === 'rejected');
      const pending = mine.filter((r) => r.review === 'pending');
      // the demo records a rejection as its dismissal; confirmations carry no review moment
      const reviewHours = rejected.map((r) => (r.closedAt!.getTime() - r.createdAt!.getTime()) / HOUR_MS);
      const ages = pending.map((r) => (NOW.getTime() - r.createdAt!.getTime()) / HOUR_MS);
      const got = figures.byCategory.find((c) => c.category === category)!;
      expect(got).toMatchObject({ detections: mine.length, confirmed, rejected: rejected.length, pending: pending.length, reviewTimeSamples: rejected.length });
      expect(got.confirmRate).toBeCloseTo(confirmed / (confirmed + rejected.length), 12);
      expect(got.meanReviewHours ?? 0).toBeCloseTo(mean(reviewHours) ?? 0, 6);
      expect(got.backlogMeanAgeHours ?? 0).toBeCloseTo(mean(ages) ?? 0, 6);
      expect(got.backlogOldestHours ?? 0).toBeCloseTo(ages.length ? Math.max(...ages) : 0, 6);
    }
    expect(rows.filter((r) => r.review === 'pending').length).toBeGreaterThan(0);
    // monthly: by the month of detection in Beijing time (both demo cities are UTC+8)
    const monthOf = (r: IncidentInput) => new Date(r.createdAt!.getTime() + 8 * HOUR_MS).toISOString().slice(0, 7);
    const keys = [...new Set(rows.map((r) => `${r.category}|${monthOf(r)}`))].sort();
    expect(figures.monthly.map((m) => `${m.category}|${m.month}`).sort()).toEqual(keys);
    for (const m of figures.monthly) {
      const mine = rows.filter((r) => r.category === m.category && monthOf(r) === m.month);
      expect([m.detections, m.confirmed, m.rejected, m.pending]).toEqual([
        mine.length,
        mine.filter((r) => r.review === 'confirmed').length,
        mine.filter((r) => r.review === 'rejected').length,
        mine.filter((r) => r.review === 'pending').length,
      ]);
    }
  });

  it('breaks the figures down by category and model version, equal to an independent computation', async () => {
    const figures = await store.aiTrust.figures({ now: NOW }, { all: true });
    const groups = new Map<string, IncidentInput[]>();
    for (const r of rows) {
      const key = `${r.category}|${r.aiModelVersion ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    // the demo switched models part-way: both versions must be there, or the test proves nothing
    expect(new Set(rows.map((r) => r.aiModelVersion)).size).toBe(2);
    expect(figures.byModel.map((m) => `${m.category}|${m.modelVersion ?? ''}`).sort()).toEqual([...groups.keys()].sort());
    for (const m of figures.byModel) {
      const mine = groups.get(`${m.category}|${m.modelVersion ?? ''}`)!;
      const confirmed = mine.filter((r) => r.review === 'confirmed').length;
      const rejected = mine.filter((r) => r.review === 'rejected');
      const reviewHours = rejected.map((r) => (r.closedAt!.getTime() - r.createdAt!.getTime()) / HOUR_MS);
      expect([m.detections, m.confirmed, m.rejected, m.pending, m.reviewTimeSamples]).toEqual([
        mine.length,
        confirmed,
        rejected.length,
        mine.filter((r) => r.review === 'pending').length,
        rejected.length,
      ]);
      if (confirmed + rejected.length) expect(m.confirmRate).toBeCloseTo(confirmed / (confirmed + rejected.length), 12);
      else expect(m.confirmRate).toBeNull();
      expect(m.meanReviewHours ?? 0).toBeCloseTo(mean(reviewHours) ?? 0, 6);
    }
  });

  it('scopes the figures to a store manager\'s stores', async () => {
    const storeId = rows.find((r) => r.storeId !== null)!.storeId!;
    const figures = await callerFor(store, user('store_manager', [storeId])).aiTrust.figures({});
    const total = figures.byCategory.reduce((s, c) => s + c.detections, 0);
    expect(total).toBe(rows.filter((r) => r.storeId === storeId).length);
  });

  it('orders the review queue by confidence x severity weight, oldest first on ties', async () => {
    const { items, total } = await callerFor(store, user('analyst')).aiTrust.queue({ limit: 500 });
    const pending = rows.filter((r) => r.review === 'pending' && r.status !== 'closed' && r.status !== 'dismissed');
    expect(total).toBe(pending.length);
    const weight = { 1: 1, 2: 2, 4: 8, 3: 4 } as const;
    const ev = (r: { aiConfidence: number | null; severity: 1 | 2 | 3 | 4 }) => (r.aiConfidence ?? 0.5) * weight[r.severity];
    const expected = [...pending].sort((a, b) => ev(b) - ev(a) || a.occurredAt.getTime() - b.occurredAt.getTime());
    expect(items.map((i) => i.expectedValue)).toEqual(expected.map((r) => ev(r)));
    expect(items.map((i) => i.occurredAt)).toEqual(expected.map((r) => r.occurredAt.toISOString()));
  });

  it('suggests the lowest confidence above which 95 % of at least 30 decisions were confirmed', async () => {
    const decided = rows.filter((r) => r.review !== 'pending' && r.aiConfidence !== null);
    let best: number | null = null;
    for (const t of [...new Set(decided.map((r) => r.aiConfidence!))]) {
      const above = decided.filter((r) => r.aiConfidence! >= t);
      const ok = above.length >= 30 && above.filter((r) => r.review === 'confirmed').length / above.length >= 0.95;
      if (ok && (best === null || t < best)) best = t;
    }
    const { suggested } = await callerFor(store, user('analyst')).aiTrust.threshold({});
    expect(best).not.toBeNull();
    expect(suggested.threshold).toBe(best);
  });

  it('confirms in bulk only above the admins\' threshold and only in the caller\'s stores', async () => {
    const pending = rows.filter((r) => r.review === 'pending');
    const storeId = [...pending].sort((a, b) => b.aiConfidence! - a.aiConfidence!)[0]!.storeId!;
    const manager = callerFor(store, user('store_manager', [storeId], 'mgr-bulk'));
    await store.upsertUsers([{ id: 'mgr-bulk', name: 'mgr', role: 'store_manager', storeIds: [storeId] }]);
    await expect(manager.aiTrust.bulkConfirm({})).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(manager.aiTrust.setThreshold({ bulkThreshold: 0.8 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await callerFor(store, user('admin')).aiTrust.setThreshold({ bulkThreshold: 0.8 });
    await expect(manager.aiTrust.bulkConfirm({ threshold: 0.7 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^threshold: /) });
    await expect(callerFor(store, user('viewer', [storeId])).aiTrust.bulkConfirm({})).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const before = await store.aiTrust.queue({ limit: 500 }, { all: true });
    const result = await manager.aiTrust.bulkConfirm({});
    const expected = pending.filter((r) => r.storeId === storeId && r.aiConfidence! >= 0.8);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.confirmed).toHaveLength(expected.length);
    expect(result.remaining).toBe(0);
    const after = await store.aiTrust.queue({ limit: 500 }, { all: true });
    expect(after.total).toBe(before.total - expected.length);
    for (const id of result.confirmed) {
      const found = (await store.incidentById(id, { all: true }))!;
      expect(found.incident).toMatchObject({ review: 'confirmed', storeId, version: 2 });
      expect(found.incident.aiConfidence!).toBeGreaterThanOrEqual(0.8);
    }
    // the decisions are review events now: they count towards the mean review time
    const figures = await store.aiTrust.figures({ now: NOW }, { all: true });
    const samples = figures.byCategory.reduce((s, c) => s + c.reviewTimeSamples, 0);
    expect(samples).toBe(rows.filter((r) => r.review === 'rejected').length + expected.length);
  });
});

describe.each(engines())('AI model version through the ingest API on $engine', ({ open }) => {
  let store: IncidentStore;
  const at = new Date('2024-05-02T00:00:00Z');
  const opts = { now: at, actor: 'api-key:test', maxStoreRadii: 3 };

  beforeAll(async () => {
    store = await open();
    await seedPlaces(store);
  });
  afterAll(async () => {
    await store.close();
  });

  async function ingest(records: Array<Record<string, unknown>>) {
    const result = await validateBatch(store, { incidents: records }, opts);
    if (!result.ok) return result;
    const writer = await store.openIncidentWriter();
    await writer.write(result.incidents);
    return { ok: true as const, summary: await writer.commit() };
  }

  it('refuses a batch with a bad ai.modelVersion whole, naming the field', async () => {
    const result = await ingest([
      apiRecord({ externalId: 'ok-1', ai: { label: 'no_helmet', confidence: 0.9, modelVersion: 'net-1' } }),
      apiRecord({ externalId: 'bad-1', ai: { label: 'no_helmet', confidence: 0.9, modelVersion: 'x'.repeat(101) } }),
      apiRecord({ externalId: 'bad-2', ai: { label: 'no_helmet', confidence: 0.9, modelVersion: 'net\n2' } }),
      apiRecord({ externalId: 'bad-3', ai: { label: 'no_helmet', confidence: 0.9, modelVersion: 7 } }),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(422);
    expect(result.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'ai.modelVersion'],
      [2, 'ai.modelVersion'],
      [3, 'ai.modelVersion'],
    ]);
    expect((await store.aiTrust.figures({ now: at }, { all: true })).byCategory).toEqual([]);
  });

  it('stores the model version and counts each version apart, detections without one under null', async () => {
    const decide = async (externalId: string, decision: 'confirmed' | 'rejected') => {
      const page = await store.listIncidents({ filters: { q: externalId }, sort: 'newest', limit: 1, now: at }, { all: true });
      await store.workflow.review({ id: page.items[0]!.id, decision, note: 'checked the photo' }, { id: 'analyst-1', role: 'analyst', storeIds: [] }, at);
    };
    const result = await ingest([
      apiRecord({ externalId: 'v1-a', ai: { label: 'no_helmet', confidence: 0.9, modelVersion: 'net-1' } }),
      apiRecord({ externalId: 'v1-b', ai: { label: 'no_helmet', confidence: 0.6, modelVersion: 'net-1' } }),
      apiRecord({ externalId: 'v2-a', ai: { label: 'no_helmet', confidence: 0.8, modelVersion: ' net-2 ' } }),
      apiRecord({ externalId: 'none', ai: { label: 'no_helmet', confidence: 0.7 } }),
    ]);
    expect(result).toMatchObject({ ok: true, summary: { inserted: 4 } });
    await decide('v1-a', 'confirmed');
    await decide('v1-b', 'rejected');
    await decide('v2-a', 'confirmed');
    const page = await store.listIncidents({ filters: { q: 'v2-a' }, sort: 'newest', limit: 1, now: at }, { all: true });
    expect((await store.incidentById(page.items[0]!.id, { all: true }))!.incident.aiModelVersion).toBe('net-2');
    const { byModel } = await store.aiTrust.figures({ now: at }, { all: true });
    expect(byModel.map((m) => [m.category, m.modelVersion, m.detections, m.confirmed, m.rejected, m.pending, m.confirmRate])).toEqual([
      ['no_helmet', 'net-1', 2, 1, 1, 0, 0.5],
      ['no_helmet', 'net-2', 1, 1, 0, 0, 1],
      ['no_helmet', null, 1, 0, 0, 1, null],
    ]);
  });
});
