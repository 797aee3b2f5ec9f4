/**
 * The work loop in Feishu over real HTTP, against the fake Feishu: the morning card's numbers
 * against incidents.myWork and stats.closureRate, no card to a manager with nothing to do,
 * escalation once per step, signed and encrypted card callbacks that act through the workflow
 * (a replay and a stale card change nothing), a bad signature refused, and an accident reported
 * in a store group becoming exactly one draft however often Feishu delivers it.
 * Signatures and encryption here are computed with node:crypto directly, not with the server's code.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, notifierFactory } from '../../server/feishu/delivery.js';
import { clearTenantTokens } from '../../server/feishu/notifier.js';
import { feishuEventDispatcher } from '../../server/feishu/events/long-connection.js';
import { runEscalations, runMorningDigest } from '../../server/jobs/work-loop.js';
import { wgs84ToGcj02 } from '../../server/ingest/coords.js';
import type { IncidentInput } from '../../server/store/types.js';
import { FAKE_APP, startFakeFeishu } from '../support/fake-feishu.js';
import type { FakeFeishu } from '../support/fake-feishu.js';
import { incident, seedPlaces } from '../support/fixtures.js';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

const ENCRYPT_KEY = 'hexwatch-test-encrypt-key';
const VERIFICATION_TOKEN = 'v-token-123';
const HOUR = 3_600_000;

function sign(body: string, timestamp = String(Math.floor(Date.now() / 1000)), nonce = randomBytes(8).toString('hex')) {
  const signature = createHash('sha256').update(timestamp + nonce + ENCRYPT_KEY + body).digest('hex');
  return { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature };
}

function encrypt(plain: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(ENCRYPT_KEY).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

let eventSeq = 0;
function eventEnvelope(eventType: string, event: Record<string, unknown>, eventId = `ev-${++eventSeq}-${Date.now()}`) {
  return {
    schema: '2.0',
    header: { event_id: eventId, token: VERIFICATION_TOKEN, create_time: String(Date.now()), event_type: eventType, tenant_key: 't1', app_id: FAKE_APP.appId },
    event,
  };
}

function cardAction(openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
  return eventEnvelope('card.action.trigger', {
    operator: { open_id: openId },
    token: 'c-token',
    action: { tag: 'button', value, ...(formValue ? { form_value: formValue } : {}) },
    context: { open_message_id: 'om_card', open_chat_id: 'oc_x' },
  });
}

describe('the work loop in Feishu', () => {
  let fake: FakeFeishu;
  let server: TestServer;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  const links = () => ({ publicUrl: 'https://hexwatch.example.com', app: { appId: FAKE_APP.appId, baseUrl: fake.url } });
  const deliver = () => deliverDue(server.store.alerts, notifierFactory({ baseUrl: fake.url, ...FAKE_APP }));
  const ids: Record<string, number> = {};

  async function post(body: string, headers: Record<string, string>) {
    return fetch(`${server.url}/feishu/callback`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  }
  async function postSigned(payload: unknown) {
    const body = JSON.stringify(payload);
    return post(body, sign(body));
  }
  async function write(rows: IncidentInput[]) {
    const writer = await server.store.openIncidentWriter();
    await writer.write(rows);
    await writer.commit();
    for (const r of rows) ids[r.externalId] = (await server.store.incidentBySourceKey(r.source, r.externalId, { all: true }))!.id;
  }

  beforeAll(async () => {
    clearTenantTokens();
    fake = await startFakeFeishu();
    server = await startTestServer({
      demo: 'none',
      env: {
        AUTH_MODE: 'dev',
        FEISHU_APP_ID: FAKE_APP.appId,
        FEISHU_APP_SECRET: FAKE_APP.appSecret,
        FEISHU_BASE_URL: fake.url,
        FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
        FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      },
    });
    places = await seedPlaces(server.store);
    await server.store.upsertUsers([
      { id: 'demo-mgr1', name: '林店长', role: 'store_manager', storeIds: [places.fz1.id], feishuOpenId: 'ou_mgr1' },
      { id: 'demo-mgr2', name: '陈店长', role: 'store_manager', storeIds: [places.fz2.id], feishuOpenId: 'ou_mgr2' },
      { id: 'demo-ana', name: '王分析', role: 'analyst', storeIds: [], feishuOpenId: 'ou_ana' },
    ]);
    // the incidents are placed around the server's clock (TEST_NOW), which its queries count from
    const now = server.env.clock.now().getTime();
    const base = { cityId: places.fuzhou.id, storeId: places.fz1.id, source: 'manual' as const, lat: 26.08, lng: 119.29 };
    await write([
      incident({ ...base, externalId: 'late-sev2', severity: 2, occurredAt: new Date(now - 80 * HOUR), dueAt: new Date(now - 8 * HOUR) }),
      incident({ ...base, externalId: 'late-sev4', severity: 4, occurredAt: new Date(now - 30 * HOUR), dueAt: new Date(now - 6 * HOUR) }),
      incident({ ...base, externalId: 'due-soon', severity: 3, occurredAt: new Date(now - HOUR), dueAt: new Date(now + 60_000) }),
      incident({ ...base, externalId: 'very-late', severity: 1, occurredAt: new Date(now - 200 * HOUR), dueAt: new Date(now - 25 * HOUR) }),
      incident({ ...base, externalId: 'to-review', source: 'ai_vision', kind: 'exception', category: 'red_light', review: 'pending', occurredAt: new Date(now - 2 * HOUR), dueAt: new Date(now + 70 * HOUR) }),
      incident({ ...base, externalId: 'done', status: 'closed', resolution: 'rider_coached', closedAt: new Date(now - HOUR), occurredAt: new Date(now - 3 * HOUR), dueAt: new Date(now + 20 * HOUR) }),
      incident({ ...base, storeId: places.fz2.id, externalId: 'fz2-done', status: 'closed', resolution: 'other', closedAt: new Date(now - HOUR), occurredAt: new Date(now - 2 * HOUR), dueAt: new Date(now + 20 * HOUR) }),
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it("sends each store manager a morning card whose numbers are the app's own", async () => {
    const now = server.env.clock.now();
    const report = await runMorningDigest(server.store, { links: links(), now, force: true });
    const manager = httpClient(server.url);
    await manager.mutate('auth.devLogin', { userId: 'demo-mgr1' });
    const work = (await (await manager.query('incidents.myWork', { limit: 200 })).json()).result.data;
    const rates = (await (await manager.query('stats.closureRate', { months: 1, by: 'store' })).json()).result.data;
    const card = report.cards.find((c) => c.manager === 'demo-mgr1')!;
    expect(card.queued).toBe(true);
    const json = JSON.stringify(card.card);
    const dueToday = work.work.items.filter((i: { dueAt: string }) => Date.parse(i.dueAt) >= now.getTime()).length; // all due within the day here
    expect(json).toContain(`超期 ${work.work.overdue} · 今日到期 ${dueToday} · 待审核 ${work.reviews.total}`);
    expect([work.work.overdue, dueToday, work.reviews.total]).toEqual([3, 1, 1]);
    const mine = rates.series.find((s: { id: number }) => s.id === places.fz1.id);
    expect(json).toContain(`本月闭环率** ${Math.round(mine.rateNow.at(-1) * 100)}%（${mine.closedNow.at(-1)}/${mine.occurred.at(-1)}）`);
    // the most severe overdue item first, with its buttons
    expect(json.indexOf(`#${ids['late-sev4']}`)).toBeLessThan(json.indexOf(`#${ids['late-sev2']}`));
    expect(json).toContain('"a":"assign"');
    expect(json).toContain('applink.feishu.cn/client/web_app/open');
    await deliver();
    const toManager = fake.delivered.filter((d) => d.to === 'ou_mgr1');
    expect(toManager).toHaveLength(1);
    // the same day again: nothing new
    expect((await runMorningDigest(server.store, { links: links(), now, force: true })).cards.find((c) => c.manager === 'demo-mgr1')!.queued).toBe(false);
  });

  it('sends nothing to a manager with nothing to do', async () => {
    const report = await runMorningDigest(server.store, { links: links(), force: true, dryRun: true, now: server.env.clock.now() });
    expect(report.skipped).toContainEqual({ manager: 'demo-mgr2', store: 'FZ-002', reason: 'nothing to do' });
    await deliver();
    expect(fake.delivered.filter((d) => d.to === 'ou_mgr2')).toHaveLength(0);
  });

  it('escalates an incident overdue past the threshold to analysts once per step, in its timeline', async () => {
    const now = server.env.clock.now();
    const first = await runEscalations(server.store, { links: links(), now });
    expect(first.escalated).toEqual([{ incidentId: ids['very-late'], step: 1, analysts: ['demo-ana'] }]);
    expect((await runEscalations(server.store, { links: links(), now: new Date(now.getTime() + HOUR) })).escalated).toEqual([]);
    const later = await runEscalations(server.store, { links: links(), now: new Date(now.getTime() + 24 * HOUR) });
    // a day later the same incident reaches step 2, and the others (6-8 h overdue then 30-32 h) step 1
    expect(later.escalated.find((e) => e.incidentId === ids['very-late'])?.step).toBe(2);
    const timeline = (await server.store.incidentById(ids['very-late']!, { all: true }))!.events.filter((e) => e.actor === 'hexwatch');
    expect(timeline.map((e) => e.note)).toEqual([expect.stringContaining('第 1 次'), expect.stringContaining('第 2 次')]);
    // the second step was queued "a day later": deliver on that clock
    await deliverDue(server.store.alerts, notifierFactory({ baseUrl: fake.url, ...FAKE_APP }), { now: () => new Date(now.getTime() + 24 * HOUR) });
    const cards = fake.delivered.filter((d) => d.to === 'ou_ana' && JSON.stringify(d.card).includes(`#${ids['very-late']}`));
    expect(cards).toHaveLength(2);
    expect(JSON.stringify(cards[0]!.card)).toContain('"a":"remind"');
  });

  it('refuses a bad signature and an unsigned plain body, and changes nothing', async () => {
    const before = (await server.store.incidentById(ids['late-sev2']!, { all: true }))!.incident;
    const body = JSON.stringify(cardAction('ou_mgr1', { a: 'assign', id: ids['late-sev2'], v: 1, card: 'digest' }));
    const forged = { ...sign(body), 'x-lark-signature': createHash('sha256').update('forged').digest('hex') };
    expect((await post(body, forged)).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    const stale = sign(body, String(Math.floor(Date.now() / 1000) - 3600));
    expect((await post(body, stale)).status).toBe(401);
    expect((await server.store.incidentById(ids['late-sev2']!, { all: true }))!.incident.version).toBe(before.version);
  });

  it('answers an encrypted URL verification with its challenge', async () => {
    const body = JSON.stringify({ encrypt: encrypt(JSON.stringify({ challenge: 'ch-42', token: VERIFICATION_TOKEN, type: 'url_verification' })) });
    const res = await post(body, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'ch-42' });
    const wrongToken = JSON.stringify({ encrypt: encrypt(JSON.stringify({ challenge: 'x', token: 'nope', type: 'url_verification' })) });
    expect((await post(wrongToken, {})).status).toBe(401);
  });

  it('assigns from a signed, encrypted card callback; a replay of the same event changes nothing', async () => {
    const id = ids['late-sev2']!;
    const payload = cardAction('ou_mgr1', { a: 'assign', id, v: 1, card: 'digest' });
    const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(payload)) });
    const res = await post(body, sign(body));
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.toast).toEqual({ type: 'success', content: `#${id} 已分派给你` });
    expect(answer.card.type).toBe('raw');
    expect(JSON.stringify(answer.card.data)).toContain('今日待办');
    const after = (await server.store.incidentById(id, { all: true }))!;
    expect([after.incident.status, after.incident.assignee, after.incident.version]).toEqual(['assigned', 'demo-mgr1', 2]);
    // Feishu retries the same event: nothing changes, the timeline does not grow
    const replay = await post(body, sign(body));
    expect((await replay.json()).toast.type).toBe('info');
    const again = (await server.store.incidentById(id, { all: true }))!;
    expect([again.incident.version, again.events.length]).toEqual([2, after.events.length]);
  });

  it('answers a stale card with the current state and changes nothing', async () => {
    const id = ids['late-sev2']!; // assigned at version 2 by the test above
    const res = await postSigned(cardAction('ou_mgr1', { a: 'assign', id, v: 1, card: 'digest' }));
    const answer = await res.json();
    expect(answer.toast.type).toBe('warning');
    expect(answer.toast.content).toMatch(new RegExp(`^#${id} 已被林店长于 \\d\\d:\\d\\d 改为已分派`));
    expect(answer.card.type).toBe('raw');
    expect((await server.store.incidentById(id, { all: true }))!.incident.version).toBe(2);
    // an operator Hexwatch does not know cannot act
    const stranger = await (await postSigned(cardAction('ou_nobody', { a: 'start', id, v: 2, card: 'digest' }))).json();
    expect(stranger.toast).toMatchObject({ type: 'error' });
    expect((await server.store.incidentById(id, { all: true }))!.incident.version).toBe(2);
  });

  it('turns a location reported in a store group into exactly one draft, even when delivered twice', async () => {
    // messages are sent "now" on the server's clock (TEST_NOW), as Feishu's and ours agree in real life
    await server.store.alerts.setTarget({ storeId: places.fz1.id, channel: 'app', webhookUrl: null, webhookSecret: null, chatId: 'oc_fz1', enabled: true }, new Date());
    fake.addChat('oc_fz1');
    const sender = { sender_id: { open_id: 'ou_mgr1' }, sender_type: 'user' };
    const text = eventEnvelope('im.message.receive_v1', {
      sender,
      message: { message_id: 'om_text1', chat_id: 'oc_fz1', chat_type: 'group', message_type: 'text', content: JSON.stringify({ text: '@_user_1 电动车和行人相撞，骑手手臂擦伤' }), create_time: String(server.env.clock.now().getTime()), mentions: [{ key: '@_user_1', name: 'Hexwatch' }] },
    });
    expect((await postSigned(text)).status).toBe(200);
    const [gcjLng, gcjLat] = wgs84ToGcj02([119.2951, 26.0768]);
    const message = { message_id: 'om_loc1', chat_id: 'oc_fz1', chat_type: 'group', message_type: 'location', content: JSON.stringify({ name: '五一广场', longitude: String(gcjLng), latitude: String(gcjLat) }), create_time: String(server.env.clock.now().getTime()) };
    for (const eventId of ['ev-loc-a', 'ev-loc-b', 'ev-loc-a']) {
      expect((await postSigned(eventEnvelope('im.message.receive_v1', { sender, message }, eventId))).status).toBe(200);
    }
    const draft = (await server.store.incidentBySourceKey('feishu_group', 'om_loc1', { all: true }))!;
    expect(draft).toMatchObject({ storeId: places.fz1.id, review: 'pending', status: 'open', kind: 'accident' });
    expect(draft.description).toContain('电动车和行人相撞');
    expect(draft.description).toContain('五一广场');
    expect(draft.lat).toBeCloseTo(26.0768, 4);
    expect(draft.lng).toBeCloseTo(119.2951, 4);
    expect((await server.store.incidentTotals({ all: true }, { source: 'feishu_group' })).total).toBe(1);
    await deliver();
    const replies = fake.delivered.filter((d) => d.via === 'reply' && d.to === 'om_loc1');
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]!.card)).toContain('select_static');

    // confirming on the card puts it into the normal workflow
    const confirm = await (await postSigned(cardAction('ou_mgr1', { a: 'confirm_draft', id: draft.id, v: draft.version, card: 'draft' }, { kind: 'accident', category: 'pedestrian_collision', severity: '3' }))).json();
    expect(confirm.toast.type).toBe('success');
    const confirmed = (await server.store.incidentById(draft.id, { all: true }))!.incident;
    expect(confirmed).toMatchObject({ review: 'confirmed', category: 'pedestrian_collision', severity: 3 });
  });

  it('takes the same events over the SDK\'s long connection dispatcher (no public URL)', async () => {
    const dispatcher = feishuEventDispatcher({ env: server.env, store: server.store, links: links(), log: () => undefined });
    const id = ids['late-sev4']!;
    const version = (await server.store.incidentById(id, { all: true }))!.incident.version;
    const answer = await dispatcher.invoke(cardAction('ou_mgr1', { a: 'assign', id, v: version, card: 'digest' }), { needCheck: false });
    expect(answer.toast).toEqual({ type: 'success', content: `#${id} 已分派给你` });
    expect((await server.store.incidentById(id, { all: true }))!.incident).toMatchObject({ status: 'assigned', assignee: 'demo-mgr1' });
  });
});
