/**
 * The one Feishu client (server/feishu/http.ts) against the local fakes: every caller (sign-in,
 * the app bot, Bitable, attachments) shares one tenant token fetch, and one Feishu answer is the
 * same error whichever caller got it. The expected messages are written out by hand from the
 * fakes' answers (tests/support/fake-feishu*.ts), not computed by the client's code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { userInfo } from '../../server/feishu/auth/client.js';
import { searchRecords } from '../../server/feishu/bitable/client.js';
import { clearFeishuTokens, FeishuApiError, tenantAccessToken } from '../../server/feishu/http.js';
import { AppBotNotifier } from '../../server/feishu/notifier.js';
import { FAKE_APP, startFakeFeishu } from '../support/fake-feishu.js';
import type { FakeFeishu } from '../support/fake-feishu.js';
import { startFakeFeishuAuth } from '../support/fake-feishu-auth.js';
import type { FakeFeishuAuth } from '../support/fake-feishu-auth.js';

const CARD = { schema: '2.0', body: { elements: [] } };

describe('the Feishu client', () => {
  let bot: FakeFeishu;
  let auth: FakeFeishuAuth;
  const botApp = () => ({ baseUrl: bot.url, ...FAKE_APP });
  const authApp = () => ({ baseUrl: auth.url, appId: auth.appId, appSecret: auth.appSecret });
  const botTokenFetches = () => bot.requests.filter((r) => r.path === '/open-apis/auth/v3/tenant_access_token/internal').length;
  const authTokenFetches = () => auth.requests.filter((r) => r === 'POST /open-apis/auth/v3/tenant_access_token/internal').length;

  beforeAll(async () => {
    [bot, auth] = await Promise.all([startFakeFeishu(), startFakeFeishuAuth()]);
    bot.addChat('oc_a');
    bot.addChat('oc_b');
    auth.setBitableTable('bascn1', 'tbl1', [{ record_id: 'rec1', created_time: 1000, last_modified_time: 1000, fields: {} }]);
  });
  afterAll(async () => {
    await Promise.all([bot?.close(), auth?.close()]);
  });
  beforeEach(() => {
    clearFeishuTokens();
    bot.mode = 'up';
    bot.requests.length = 0;
    auth.requests.length = 0;
  });

  it('app bot messages to two groups and a direct caller, all at once, share one tenant token fetch', async () => {
    const [a, b, token] = await Promise.all([
      new AppBotNotifier(botApp(), 'oc_a').send(CARD, 'dedupe-a'),
      new AppBotNotifier(botApp(), 'oc_b').send(CARD, 'dedupe-b'),
      tenantAccessToken(botApp()),
    ]);
    expect(a.outcome).toBe('sent');
    expect(b.outcome).toBe('sent');
    expect(token).toMatch(/\S/);
    expect(botTokenFetches()).toBe(1);
    // and the next send uses the cached token
    expect((await new AppBotNotifier(botApp(), 'oc_a').send(CARD, 'dedupe-c')).outcome).toBe('sent');
    expect(botTokenFetches()).toBe(1);
  });

  it('Bitable searches and a direct caller, all at once, share one tenant token fetch', async () => {
    const search = () => searchRecords(authApp(), { appToken: 'bascn1', tableId: 'tbl1', pageSize: 10 });
    const [first, second, token] = await Promise.all([search(), search(), tenantAccessToken(authApp())]);
    expect(first.items.map((r) => r.record_id)).toEqual(['rec1']);
    expect(second.items.map((r) => r.record_id)).toEqual(['rec1']);
    expect(token).toMatch(/^t-/);
    expect(authTokenFetches()).toBe(1);
  });

  it('a refused token fetch is not cached: the next call asks Feishu again', async () => {
    bot.mode = { status: 500, code: 1500, msg: 'internal error' };
    await expect(tenantAccessToken(botApp())).rejects.toBeInstanceOf(FeishuApiError);
    bot.mode = 'up';
    await expect(tenantAccessToken(botApp())).resolves.toMatch(/\S/);
    expect(botTokenFetches()).toBe(2);
  });

  it('one Feishu refusal is the same error for the token, the app bot, Bitable and sign-in', async () => {
    // the fake answers every request with HTTP 400 and code 99991672 (a scope the app lacks)
    bot.mode = { status: 400, code: 99991672, msg: 'Access denied. One of the following scopes is required' };
    const tokenMessage = 'tenant token: Access denied. One of the following scopes is required (code 99991672, HTTP 400)';

    const direct = await tenantAccessToken(botApp()).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(FeishuApiError);
    expect(direct).toMatchObject({ code: 99991672, status: 400, message: tokenMessage, outcome: { kind: 'permanent', code: 99991672 } });

    const sent = await new AppBotNotifier(botApp(), 'oc_a').send(CARD, 'dedupe-x');
    expect(sent).toEqual({ outcome: 'permanent', code: 99991672, error: tokenMessage });

    const bitable = await searchRecords(botApp(), { appToken: 'bascn1', tableId: 'tbl1', pageSize: 10 }).catch((e: unknown) => e);
    expect(bitable).toBeInstanceOf(FeishuApiError);
    expect(bitable).toMatchObject({ code: 99991672, status: 400, message: tokenMessage });

    // an API call after the token (sign-in's user info) names its own step, with the same code
    const info = await userInfo(botApp(), 'u-token').catch((e: unknown) => e);
    expect(info).toBeInstanceOf(FeishuApiError);
    expect(info).toMatchObject({
      code: 99991672,
      status: 400,
      message: 'user info: Access denied. One of the following scopes is required (code 99991672, HTTP 400)',
      outcome: { kind: 'permanent', code: 99991672 },
    });
  });

  it('a wrong app secret (10014) is the same error for the token, the app bot and Bitable', async () => {
    const wrong = { ...botApp(), appSecret: 'not-the-secret' };
    const message = 'tenant token: app secret invalid (code 10014, HTTP 200)';
    await expect(tenantAccessToken(wrong)).rejects.toMatchObject({ code: 10014, message });
    expect(await new AppBotNotifier(wrong, 'oc_a').send(CARD, 'dedupe-y')).toEqual({ outcome: 'permanent', code: 10014, error: message });
    await expect(searchRecords(wrong, { appToken: 'bascn1', tableId: 'tbl1', pageSize: 10 })).rejects.toMatchObject({ code: 10014, message });
  });

  it('Feishu down: the same unreachable error, a retry for the app bot', async () => {
    bot.mode = 'down';
    const error = (await tenantAccessToken(botApp()).catch((e: unknown) => e)) as FeishuApiError;
    expect(error).toBeInstanceOf(FeishuApiError);
    expect([error.code, error.status, error.outcome.kind]).toEqual([-1, 0, 'retry']);
    expect(error.message).toMatch(/^tenant token: Feishu unreachable: /);
    const sent = await new AppBotNotifier(botApp(), 'oc_a').send(CARD, 'dedupe-z');
    expect(sent).toMatchObject({ outcome: 'retry', code: null, error: expect.stringMatching(/^tenant token: Feishu unreachable: /) });
  });
});
