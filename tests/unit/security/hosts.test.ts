/** Photo and webhook host rules (server/security/hosts.ts), table-driven, expectations by hand. */
import { describe, expect, it } from 'vitest';
import { hostMatches, isAllowedPhotoUrl, webhookUrlRefusal } from '../../../server/security/hosts.js';
import { isPlainLine, isPlainText, neutraliseControls } from '../../../server/domain/text.js';

describe('hostMatches', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['https://cdn.example.com/a.jpg', ['cdn.example.com'], true],
    ['https://CDN.Example.com:8443/a.jpg', ['cdn.example.com'], true], // any port without one in the pattern
    ['https://cdn.example.com:8443/a.jpg', ['cdn.example.com:8443'], true],
    ['https://cdn.example.com/a.jpg', ['cdn.example.com:8443'], false],
    ['https://a.img.example.net/x', ['*.img.example.net'], true],
    ['https://a.b.img.example.net/x', ['*.img.example.net'], true],
    ['https://img.example.net/x', ['*.img.example.net'], false], // the bare domain is not a sub-domain
    ['https://evilimg.example.net/x', ['*.img.example.net'], false],
    ['https://cdn.example.com.evil.test/x', ['cdn.example.com'], false],
    ['https://cdn.example.com/x', [], false],
  ];
  it.each(cases)('%s against %j is %s', (url, patterns, expected) => {
    expect(hostMatches(new URL(url), patterns)).toBe(expected);
  });
});

describe('isAllowedPhotoUrl', () => {
  const policy = { photoHosts: ['photos.example.com'], publicOrigin: 'https://hexwatch.example.com' };
  const cases: Array<[string, boolean]> = [
    ['/media/detections/det-1.svg', true],
    ['/media/../trpc/auth.me', false],
    ['/mediafoo/x.svg', false],
    ['//photos.example.com/a.jpg', false],
    ['https://hexwatch.example.com/media/detections/a.svg', true],
    ['https://hexwatch.example.com/trpc/auth.me', false],
    ['https://photos.example.com/a.jpg', true],
    ['http://photos.example.com/a.jpg', false],
    ['https://user:pw@photos.example.com/a.jpg', false],
    ['http://169.254.169.254/latest/meta-data/', false],
    ['javascript:alert(1)', false],
    ['data:image/svg+xml,<svg/>', false],
    ['not a url', false],
  ];
  it.each(cases)('%s is %s', (url, expected) => {
    expect(isAllowedPhotoUrl(url, policy)).toBe(expected);
  });
});

describe('webhookUrlRefusal', () => {
  const policy = { webhookHosts: ['relay.example.com'], feishuBaseUrl: 'http://127.0.0.1:4100' };
  const cases: Array<[string, boolean]> = [
    ['https://open.feishu.cn/open-apis/bot/v2/hook/abc', true],
    ['https://open.larksuite.com/open-apis/bot/v2/hook/abc', true],
    ['http://open.feishu.cn/open-apis/bot/v2/hook/abc', false],
    ['https://open.feishu.cn.evil.test/open-apis/bot/v2/hook/abc', false],
    ['http://127.0.0.1:4100/open-apis/bot/v2/hook/abc', true], // FEISHU_BASE_URL (a local fake in tests)
    ['http://127.0.0.1:5432/', false],
    ['https://relay.example.com/hook', true],
    ['https://u:p@relay.example.com/hook', false],
    ['http://169.254.169.254/latest', false],
    ['ftp://open.feishu.cn/x', false],
  ];
  it.each(cases)('%s allowed: %s', (url, allowed) => {
    expect(webhookUrlRefusal(url, policy) === null).toBe(allowed);
  });
});

describe('control characters', () => {
  const cases: Array<[string, boolean, boolean]> = [
    // value, one-line ok, multi-line ok
    ['R-00001', true, true],
    ['福州 头盔', true, true],
    ['a\nb', false, true],
    ['a\tb', false, true],
    ['a\r\nb', false, true],
    ['a\u0000b', false, false],
    ['\u001b[31m', false, false],
    ['a\u007fb', false, false],
    ['a\u0085b', false, false], // C1 next line
  ];
  it.each(cases)('%j: line %s, text %s', (value, line, text) => {
    expect(isPlainLine(value)).toBe(line);
    expect(isPlainText(value)).toBe(text);
  });
  it('neutralises what multi-line text may not hold', () => {
    expect(neutraliseControls('a\u0000b\nc\u001bd')).toBe('a\uFFFDb\nc\uFFFDd');
  });
});
