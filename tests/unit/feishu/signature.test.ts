import { describe, expect, it } from 'vitest';
import { alertCard, cellMapUrl } from '../../../server/feishu/card.js';
import { webhookSign } from '../../../server/feishu/signature.js';

describe('webhookSign', () => {
  it('holds the documented test vector (ts 1599360473, secret "demo")', () => {
    expect(webhookSign(1599360473, 'demo')).toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
  });

  it('depends on the timestamp and the secret', () => {
    expect(webhookSign(1599360474, 'demo')).not.toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
    expect(webhookSign(1599360473, 'demo2')).not.toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
  });
});

describe('alertCard', () => {
  it('is a 2.0 card with the store, place, class, counts and a button to the map at the cell', () => {
    const card = alertCard(
      { storeCode: 'FZ-001', storeName: 'Gulou', cell: '8941b530aafffff', lat: 26.08, lng: 119.29, class: 'new_hot', weekCount: 9, totalCount: 14, weeks: 12, week: '2024-03-04' },
      'https://hexwatch.example.com/',
    );
    const json = JSON.stringify(card);
    expect(card.schema).toBe('2.0');
    // in the glossary's Chinese (server/domain/glossary.ts), written out here
    for (const text of ['Gulou', 'FZ-001', '26.08000', '119.29000', '新热点', '最近一周首次成为热点', '2024-03-04 这一周 9 起', '最近 12 周共 14 起']) {
      expect(json).toContain(text);
    }
    expect(json).toContain('"default_url":"https://hexwatch.example.com/?cell=8941b530aafffff"');
    expect(cellMapUrl('http://x', 'abc')).toBe('http://x/?cell=abc');
  });

  it('opens Hexwatch inside Feishu through an applink when the app is known, the plain URL elsewhere', () => {
    const input = { storeCode: 'FZ-001', storeName: 'Gulou', cell: '8941b530aafffff', lat: 26.08, lng: 119.29, class: 'new_hot' as const, weekCount: 9, totalCount: 14, weeks: 12, week: '2024-03-04' };
    const card = alertCard(input, 'https://hexwatch.example.com', { appId: 'cli_a1b2', baseUrl: 'https://open.feishu.cn' });
    const button = JSON.stringify(card).match(/"behaviors":\[(\{[^\]]*\})\]/)![1]!;
    const behavior = JSON.parse(button) as Record<string, string>;
    expect(behavior.default_url).toBe('https://hexwatch.example.com/?cell=8941b530aafffff');
    // written out by hand from the AppLink "open a web app" page: appId, mode, path, then the app's query
    const expected = 'https://applink.feishu.cn/client/web_app/open?appId=cli_a1b2&mode=appCenter&path=%2F&cell=8941b530aafffff';
    for (const client of ['pc_url', 'ios_url', 'android_url']) expect(behavior[client]).toBe(expected);
    // Lark tenants get Lark's applink host
    const lark = JSON.stringify(alertCard(input, 'https://hexwatch.example.com', { appId: 'cli_a1b2', baseUrl: 'https://open.larksuite.com' }));
    expect(lark).toContain('https://applink.larksuite.com/client/web_app/open?appId=cli_a1b2');
    // without a Feishu app, only the plain link
    expect(JSON.stringify(alertCard(input, 'https://hexwatch.example.com'))).not.toContain('applink');
  });
});
