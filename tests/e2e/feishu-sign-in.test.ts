/**
 * Feishu sign-in in the browser (AUTH_MODE=feishu), against a local fake Feishu: inside the
 * Feishu client the JS SDK's code signs the user in without a click; a plain browser is offered
 * the OAuth redirect instead.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFeishuAuth } from '../support/fake-feishu-auth.js';
import type { FakeFeishuAuth } from '../support/fake-feishu-auth.js';
import { startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';
import { launchBrowser } from './support/browser.js';
import type { Browser } from './support/browser.js';
import { ensureClientBuild } from './support/client-build.js';

const FEISHU_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile Lark/7.20.0 LarkLocale/zh_CN';
const OPEN_ID = 'ou_e2e_analyst';

describe('Feishu sign-in', () => {
  let fake: FakeFeishuAuth;
  let sdk: Server;
  let sdkUrl: string;
  /** The code the fake SDK hands out next (one per page: codes are single-use). */
  let nextCode = '';
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureClientBuild();
    fake = await startFakeFeishuAuth();
    fake.addUser({ openId: OPEN_ID, name: '陈分析' });
    // The JS SDK as the Feishu client provides it: tt.requestAccess answers with a code.
    sdk = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
      res.end(`window.tt = { requestAccess: (o) => setTimeout(() => o.success({ code: ${JSON.stringify(nextCode)} }), 10) };`);
    });
    await new Promise<void>((r) => sdk.listen(0, '127.0.0.1', () => r()));
    sdkUrl = `http://127.0.0.1:${(sdk.address() as { port: number }).port}/h5-js-sdk.js`;
    server = await startTestServer({
      demo: 'small',
      env: {
        AUTH_MODE: 'feishu',
        FEISHU_APP_ID: fake.appId,
        FEISHU_APP_SECRET: fake.appSecret,
        FEISHU_BASE_URL: fake.url,
        FEISHU_ACCOUNTS_URL: fake.url,
        FEISHU_JSSDK_URL: sdkUrl,
      },
    });
    await server.store.upsertUsers([{ id: 'fs-analyst', name: '陈分析', role: 'analyst', storeIds: [], feishuOpenId: OPEN_ID }]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((r) => sdk?.close(r));
    await fake?.close();
  });

  it('signs a known user in inside the Feishu client without a click', async () => {
    nextCode = fake.issueCode(OPEN_ID);
    const context = await browser.newContext({ userAgent: FEISHU_UA, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByTestId('map').waitFor({ timeout: 60_000 });
      const me = await page.evaluate(async () => (await (await fetch('/trpc/auth.me')).json()).result.data);
      expect(me).toMatchObject({ id: 'fs-analyst', role: 'analyst' });
      expect(fake.requests.some((r) => r.includes('/authen/'))).toBe(true); // the code was exchanged with Feishu
    } finally {
      await context.close();
    }
  });

  it('offers the OAuth redirect in a plain browser, and no demo users', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      const button = page.getByTestId('feishu-sign-in');
      await button.waitFor({ timeout: 60_000 });
      expect(await button.getAttribute('href')).toMatch(/^\/auth\/feishu\/start\?next=%2F/);
      expect(await page.getByTestId('demo-users').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
