/**
 * Feishu's callback security (../../../../shared/reference/feishu-api.md §6, "接收事件"):
 * - signature: hex(SHA-256(timestamp + nonce + encrypt key + raw body)), in X-Lark-Signature;
 * - encryption: `{"encrypt": base64}`; key = SHA-256(encrypt key); the base64 decodes to a
 *   16-byte IV followed by AES-256-CBC ciphertext with PKCS#7 padding; the plaintext is JSON.
 * Pure functions over node:crypto, so that the test can check them against a vector it
 * computes on its own.
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/** Requests older (or newer) than this are refused as replays: Feishu retries with fresh headers. */
export const SIGNATURE_MAX_SKEW_S = 5 * 60;

export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(timestamp + nonce + encryptKey, 'utf8'), rawBody]))
    .digest('hex');
}

/**
 * True when the signature matches and the timestamp (Unix seconds) is within the allowed skew.
 * Compared in constant time.
 */
export function verifyFeishuSignature(
  headers: { timestamp?: string; nonce?: string; signature?: string },
  encryptKey: string,
  rawBody: Buffer,
  nowS: number = Math.floor(Date.now() / 1000),
): boolean {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(nowS - ts) > SIGNATURE_MAX_SKEW_S) return false;
  const expected = Buffer.from(feishuSignature(timestamp, nonce, encryptKey, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'hex'));
}

/**
 * The plaintext of an `encrypt` field.
 * @throws Error when the data is not valid base64 AES-256-CBC under this key
 */
export function decryptFeishuPayload(encrypted: string, encryptKey: string): string {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < 32 || (data.length - 16) % 16 !== 0) throw new Error('encrypt: not an AES-256-CBC payload');
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}
