/**
 * Feishu's callback signature and decryption against vectors made independently: the example
 * from Feishu's "接收事件" page (encrypt key "test key"), and ones this test computes with
 * node:crypto directly (SHA-256 over the concatenation; AES-256-CBC with a random IV).
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptFeishuPayload, feishuSignature, verifyFeishuSignature } from '../../../server/feishu/events/crypto.js';

function encryptLikeFeishu(plain: string, key: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

describe('Feishu callback crypto', () => {
  it('decrypts the example of Feishu\'s documentation', () => {
    expect(decryptFeishuPayload('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });

  it('decrypts what AES-256-CBC under SHA-256(key) with a leading IV encrypts, and refuses another key', () => {
    const event = JSON.stringify({ schema: '2.0', header: { event_type: 'card.action.trigger' }, event: { note: '中文也行' } });
    const sealed = encryptLikeFeishu(event, 'k3y');
    expect(decryptFeishuPayload(sealed, 'k3y')).toBe(event);
    expect(() => decryptFeishuPayload(sealed, 'other')).toThrow();
    expect(() => decryptFeishuPayload('bm90IGFlcw==', 'k3y')).toThrow(/not an AES-256-CBC payload/);
  });

  it('signs as hex SHA-256 of timestamp + nonce + encrypt key + raw body', () => {
    const body = Buffer.from('{"encrypt":"abc"}');
    const expected = createHash('sha256').update('1700000000' + 'n0nce' + 'k3y' + '{"encrypt":"abc"}').digest('hex');
    expect(feishuSignature('1700000000', 'n0nce', 'k3y', body)).toBe(expected);
    const headers = { timestamp: '1700000000', nonce: 'n0nce', signature: expected };
    expect(verifyFeishuSignature(headers, 'k3y', body, 1700000010)).toBe(true);
    expect(verifyFeishuSignature(headers, 'k3y', Buffer.from('{"encrypt":"abd"}'), 1700000010)).toBe(false); // body changed
    expect(verifyFeishuSignature(headers, 'other', body, 1700000010)).toBe(false); // another key
    expect(verifyFeishuSignature(headers, 'k3y', body, 1700000000 + 3600)).toBe(false); // an hour later: a replay
    expect(verifyFeishuSignature({ ...headers, signature: 'zz' }, 'k3y', body, 1700000010)).toBe(false);
  });
});
