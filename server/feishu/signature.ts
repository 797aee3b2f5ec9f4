/**
 * Custom group bot signature (../../../shared/reference/feishu-api.md §2): HMAC-SHA256 keyed with
 * `${timestamp}\n${secret}` over the EMPTY string, base64. `timestamp` is Unix seconds, and
 * Feishu accepts it within an hour of its own clock.
 */
import { createHmac } from 'node:crypto';

export function webhookSign(timestampSec: number, secret: string): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}
