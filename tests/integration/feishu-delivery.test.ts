/**
 * Alert notifications through the outbox against a local fake Feishu: signed webhooks, the app
 * bot with uuid dedupe, outages, rate limits and permanent errors, on both engines.
 */
import { latLngToCell } from 'h3-js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertCard } from '../../server/feishu/card.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS } from '../../server/feishu/answers.js';
import { backoffMs, deliverDue, LEASE_MS, MAX_ATTEMPTS, MAX_BACKOFF_MS, notifierFactory, UUID_WINDOW_MS } from '../../server/feishu/delivery.js';
import { clearTenantTokens, WebhookNotifier } from '../../server/feishu/notifier.js';
import type { Alert, AlertInput } from '../../server/store/alerts.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { FAKE_APP, HOOK_LIMITS, startFakeFeishu } from '../support/fake-feishu.js';
import type { FakeFeishu } from '../support/fake-feishu.js';
import { seedPlaces } from '../support/fixtures.js';

const T0 = new Date('2024-03-11T02:00:00Z');
const card = (a: Alert) =>
  alertCard({ ...a, lat: 26.08, lng: 119.29, storeCode: a.storeCode, storeName: a.storeName }, 'https://hexwatch.example.com');

describe('webhook signature against the fake', () => {
  it('accepts the documented test vector at its timestamp', async () => {
    const fake = await startFakeFeishu();
    try {
      fake.nowSec = () => 1599360473;
      const url = fake.addHook('hook-demo', 'demo');
      const result = await new WebhookNotifier({ url, secret: 'demo' }, () => 1599360473).send({ schema: '2.0' });
      expect(result).toEqual({ outcome: 'sent', messageId: null });
      expect(fake.requests[0]!.body).toMatchObject({ timestamp: '1599360473', sign: 'l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=' });
      // more than an hour off the fake's clock: refused as 19021, a permanent error
      const late = await new WebhookNotifier({ url, secret: 'demo' }, () => 1599360473 + 3700).send({ schema: '2.0' });
      expect(late).toMatchObject({ outcome: 'permanent', code: 19021 });
    } finally {
      await fake.close();
    }
  });
});

describe.each(engines())('alert delivery through the outbox on $engine', ({ open }) => {
  let store: IncidentStore;
  let fake: FakeFeishu;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  let clock: Date;
  const now = () => clock;
  const deliver = () => deliverDue(store.alerts, notifierFactory({ baseUrl: fake.url, ...FAKE_APP }), { now });

  function alertInput(storeId: number, cityId: number, k: number): AlertInput {
    return {
      storeId,
      cityId,
      cell: latLngToCell(26.08 + k * 0.003, 119.29, 9),
      resolution: 9,
      episode: '2024-03-04',
      week: '2024-03-04',
      class: 'new_hot',
      z: 4.2,
      weekCount: 9,
      totalCount: 12,
      weeks: 12,
    };
  }

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    fake = await startFakeFeishu();
    clearTenantTokens();
    clock = new Date(T0);
  });
  afterEach(async () => {
    // each test leaves nothing due behind for the next
    await fake.close();
    fake.mode = 'up';
  });

  async function setTargets(webhookSecret: string | null, fakeSecret?: string) {
    const url = fake.addHook(`hook-${places.fz1.id}`, fakeSecret);
    await store.alerts.setTarget({ storeId: places.fz1.id, channel: 'webhook', webhookUrl: url, webhookSecret, chatId: null, enabled: true }, clock);
    fake.addChat('oc_fz2');
    await store.alerts.setTarget({ storeId: places.fz2.id, channel: 'app', webhookUrl: null, webhookSecret: null, chatId: 'oc_fz2', enabled: true }, clock);
  }

  it('records an alert once per store, cell and episode, with one outbox row', async () => {
    await setTargets('s3cret', 's3cret');
    const input = alertInput(places.fz1.id, places.fuzhou.id, 100);
    const first = await store.alerts.recordAlerts([input], card, clock);
    const again = await store.alerts.recordAlerts([input, input], card, clock);
    expect(first).toHaveLength(1);
    expect(first[0]!.delivery).toBe('pending');
    expect(again).toHaveLength(0);
    const report = await deliver();
    expect(report.sent).toBe(1);
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]!.via).toBe('webhook');
    expect(JSON.stringify(fake.delivered[0]!.card)).toContain(`?cell=${input.cell}`);
    const [listed] = await store.alerts.listAlerts({ scope: { all: true }, limit: 10 });
    expect(listed).toMatchObject({ id: first[0]!.id, delivery: 'sent' });
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0 });
  });

  it('delivers every alert exactly once after Feishu was down for a while', async () => {
    await setTargets('s3cret', 's3cret');
    const inputs = [1, 2, 3].flatMap((k) => [
      alertInput(places.fz1.id, places.fuzhou.id, 200 + k),
      alertInput(places.fz2.id, places.fuzhou.id, 200 + k),
    ]);
    const created = await store.alerts.recordAlerts(inputs, card, clock);
    expect(created).toHaveLength(6);
    fake.mode = 'down';
    expect(await deliver()).toMatchObject({ sent: 0, retried: 6 });
    // not due again before the back-off
    clock = new Date(T0.getTime() + backoffMs(1) - 1000);
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0 });
    // still down over several retries, backing off further each time
    for (let attempt = 2; attempt <= 4; attempt++) {
      clock = new Date(clock.getTime() + backoffMs(attempt) + 1000);
      expect((await deliver()).retried).toBe(6);
    }
    fake.mode = 'up';
    clock = new Date(clock.getTime() + MAX_BACKOFF_MS + 1000);
    expect(await deliver()).toMatchObject({ sent: 6, retried: 0 });
    clock = new Date(clock.getTime() + MAX_BACKOFF_MS + 1000);
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(fake.delivered).toHaveLength(6);
    const cells = fake.delivered.map((d) => `${d.via}:${JSON.stringify(d.card).match(/cell=(\w+)/)![1]}`);
    expect(new Set(cells).size).toBe(6);
  });

  it('resends a row whose worker died mid-send, and the app bot uuid keeps it from posting twice', async () => {
    await setTargets(null);
    const [alert] = await store.alerts.recordAlerts([alertInput(places.fz2.id, places.fuzhou.id, 300)], card, clock);
    // a worker claims the row and sends, then dies before recording the result
    const [claimed] = await store.alerts.claimOutbox(clock, LEASE_MS, 10);
    expect(claimed!.alertId).toBe(alert!.id);
    const notifier = notifierFactory({ baseUrl: fake.url, ...FAKE_APP })(claimed!.target!);
    expect(typeof notifier).not.toBe('string');
    if (typeof notifier !== 'string') expect((await notifier.send(claimed!.payload, claimed!.dedupeKey)).outcome).toBe('sent');
    expect(await deliver()).toMatchObject({ sent: 0 }); // leased: no one else takes it
    clock = new Date(clock.getTime() + LEASE_MS + 1000);
    expect(await deliver()).toMatchObject({ sent: 1 }); // the lease ran out: sent again with the same uuid
    const appMessages = fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages');
    expect(appMessages).toHaveLength(2);
    expect(appMessages[0]!.body.uuid).toBe(appMessages[1]!.body.uuid);
    expect(fake.delivered).toHaveLength(1);
  });

  it('retries rate limits (11232, 230020) after a pause', async () => {
    await setTargets(null);
    await store.alerts.recordAlerts(
      [alertInput(places.fz1.id, places.fuzhou.id, 400), alertInput(places.fz2.id, places.fuzhou.id, 400)],
      card,
      clock,
    );
    fake.mode = 'rate_limit';
    expect(await deliver()).toMatchObject({ rateLimited: 2, sent: 0, failed: 0 });
    const codes = (await store.alerts.listDeliveries({ status: 'pending', limit: 10 })).map((d) => d.lastCode).sort();
    expect(codes).toEqual([11232, 230020]);
    fake.mode = 'up';
    clock = new Date(clock.getTime() + DEFAULT_RATE_LIMIT_WAIT_MS - 1000);
    expect(await deliver()).toMatchObject({ sent: 0 });
    clock = new Date(clock.getTime() + 2000);
    expect(await deliver()).toMatchObject({ sent: 2 });
    expect(fake.delivered).toHaveLength(2);
  });

  it('marks 19021 (bad signature) and 230002 (bot not in group) permanent, shown to admins, never retried', async () => {
    // the store's secret is wrong: Feishu refuses the signature
    await setTargets('wrong-secret', 'right-secret');
    fake.addChat('oc_fz2', { botInGroup: false });
    await store.alerts.recordAlerts(
      [alertInput(places.fz1.id, places.fuzhou.id, 500), alertInput(places.fz2.id, places.fuzhou.id, 500)],
      card,
      clock,
    );
    expect(await deliver()).toMatchObject({ failed: 2, sent: 0 });
    const failed = await store.alerts.listDeliveries({ status: 'failed', limit: 10 });
    expect(failed.map((d) => d.lastCode).sort()).toEqual([19021, 230002]);
    expect(failed.every((d) => d.lastError && d.storeCode)).toBe(true);
    clock = new Date(clock.getTime() + 2 * MAX_BACKOFF_MS);
    expect(await deliver()).toMatchObject({ failed: 0, sent: 0, retried: 0 });
    expect(fake.delivered).toHaveLength(0);
  });

  it('delivers a burst of 30 alerts to one webhook in full, paced under Feishu\'s 5 a second', async () => {
    // The fake throttles like Feishu (HTTP 400, code 9499 "too many request"): sent back to back,
    // most of the burst would be refused.
    await setTargets(null);
    const inputs = Array.from({ length: 30 }, (_, k) => alertInput(places.fz1.id, places.fuzhou.id, 600 + k));
    expect(await store.alerts.recordAlerts(inputs, card, clock)).toHaveLength(30);
    const report = await deliver();
    expect(report).toMatchObject({ sent: 30, rateLimited: 0, failed: 0 });
    const times = fake.delivered.filter((d) => d.via === 'webhook').map((d) => d.at);
    expect(times).toHaveLength(30);
    const busiestSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(HOOK_LIMITS.perSecond);
    expect(fake.requests.filter((r) => r.path.includes('/hook/'))).toHaveLength(30); // none refused, none repeated
  }, 30_000);

  it('retries a 9499 "too many request" after the wait Feishu gives, instead of failing it', async () => {
    await setTargets(null);
    await store.alerts.recordAlerts([alertInput(places.fz1.id, places.fuzhou.id, 700)], card, clock);
    fake.mode = 'throttle_9499';
    expect(await deliver()).toMatchObject({ rateLimited: 1, failed: 0 });
    const [pending] = await store.alerts.listDeliveries({ status: 'pending', limit: 10 });
    expect(pending).toMatchObject({ lastCode: 9499 });
    fake.mode = 'up';
    clock = new Date(clock.getTime() + 2000); // the fake's x-ogw-ratelimit-reset: 2 s
    expect(await deliver()).toMatchObject({ sent: 1 });
  });

  it('marks unknown 4xx codes failed at once, with the code shown to admins', async () => {
    await setTargets(null);
    await store.alerts.recordAlerts([alertInput(places.fz2.id, places.fuzhou.id, 800)], card, clock);
    fake.mode = { status: 400, code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:message:send_as_bot]' };
    expect(await deliver()).toMatchObject({ failed: 1, retried: 0 });
    const [failed] = await store.alerts.listDeliveries({ status: 'failed', limit: 10 }); // newest first
    expect([failed!.lastCode, failed!.lastError]).toEqual([99991672, expect.stringContaining('scopes is required')]);
    fake.mode = 'up';
    clock = new Date(clock.getTime() + 2 * MAX_BACKOFF_MS);
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0 });
  });

  it('gives up after MAX_ATTEMPTS transient failures: nothing retries forever', async () => {
    await setTargets(null);
    await store.alerts.recordAlerts([alertInput(places.fz1.id, places.fuzhou.id, 900)], card, clock);
    fake.mode = 'server_error';
    let attempts = 0;
    for (let round = 0; round < MAX_ATTEMPTS + 5; round++) {
      const r = await deliver();
      attempts += r.retried + r.failed;
      if (r.failed) break;
      clock = new Date(clock.getTime() + MAX_BACKOFF_MS + 1000);
    }
    expect(attempts).toBe(MAX_ATTEMPTS);
    const [failed] = await store.alerts.listDeliveries({ status: 'failed', limit: 10 });
    expect(failed!.lastError).toMatch(new RegExp(`^gave up after ${MAX_ATTEMPTS} attempts`));
    clock = new Date(clock.getTime() + 10 * MAX_BACKOFF_MS);
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0, failed: 0 });
  });

  it('does not re-send an app-bot message that may have arrived once its uuid window could have closed', async () => {
    await setTargets(null);
    await store.alerts.recordAlerts([alertInput(places.fz2.id, places.fuzhou.id, 1000)], card, clock);
    fake.mode = 'server_error'; // a 502: Feishu may have posted it
    const ambiguousAt = clock.getTime();
    expect(await deliver()).toMatchObject({ retried: 1 });
    // retries inside the window keep the same uuid: Feishu would drop a repeat
    while (clock.getTime() - ambiguousAt < UUID_WINDOW_MS - MAX_BACKOFF_MS) {
      clock = new Date(clock.getTime() + 5 * 60_000);
      await deliver();
    }
    const sentBefore = fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages').length;
    fake.mode = 'up';
    clock = new Date(ambiguousAt + UUID_WINDOW_MS + 1000);
    expect(await deliver()).toMatchObject({ sent: 0, failed: 1 });
    expect(fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages')).toHaveLength(sentBefore);
    const [failed] = await store.alerts.listDeliveries({ status: 'failed', limit: 10 });
    expect(failed!.lastError).toMatch(/^ambiguous: .*may have been posted/);
  });
});
