/**
 * What a Feishu answer means for the caller, in one place (../../../shared/reference/feishu-api.md
 * §0, §2). Every outbound call (custom bot webhook, app bot message, tenant token) is classified
 * into one of four outcomes, so that nothing retries forever and nothing is dropped when Feishu
 * only asked us to slow down:
 * - `ok`: done;
 * - `rate_limited`: try again after `waitMs` (from `x-ogw-ratelimit-reset` when Feishu sends it);
 * - `retry`: a transient failure (5xx, timeout, connection dropped, an expired token);
 * - `permanent`: a retry cannot fix it (configuration, a rejected card, any unknown 4xx); the
 *   code and message are kept for admins.
 */

export type FeishuApi = 'webhook' | 'app' | 'token';

/** An HTTP answer (status, parsed JSON body or null, headers), or a request that got none. */
export type FeishuAnswer =
  | { status: number; json: Record<string, unknown> | null; headers?: Headers }
  | { unreachable: string; timedOut: boolean };

export type FeishuOutcome =
  | { kind: 'ok' }
  | { kind: 'rate_limited'; code: number | null; error: string; waitMs: number }
  | {
      kind: 'retry';
      code: number | null;
      error: string;
      /** The request may have reached Feishu (a timeout, or a connection cut after sending). */
      ambiguous: boolean;
      /** The tenant token was refused: fetch a new one before the next attempt. */
      tokenInvalid: boolean;
    }
  | { kind: 'permanent'; code: number | null; error: string };

/** When Feishu throttles without saying how long: custom bots count per second and per minute. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Throttling codes. Custom bots: 11232 (frequency limited) and 9499 "too many request", which
 * comes with HTTP 400 (9499 is also "Bad Request" for a malformed body: the message tells them
 * apart). App bot: 230020 (per-group frequency), 99991400 (the gateway's request limit).
 * Bitable: 1254290 (too many requests).
 */
const RATE_LIMIT_CODES = new Set([11232, 230020, 99991400, 1254290]);
/** im/v1 refused the tenant token: a new token fixes it (99991661 missing, 99991663/99991668 invalid). */
const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991668]);
/** Feishu's own transient failures, whatever the HTTP status (internal error, busy, timeout). */
const TRANSIENT_CODES = new Set([1500, 2200, 55001, 99991401, 230015]);

/** Feishu's `code` (number or string; old webhook answers carry only StatusCode). */
export function feishuCodeOf(json: Record<string, unknown> | null): number | null {
  if (!json) return null;
  const raw = json.code ?? json.StatusCode;
  const n = Number(raw);
  return raw === undefined || raw === null || !Number.isFinite(n) ? null : n;
}

function messageOf(json: Record<string, unknown> | null, status: number): string {
  return String(json?.msg ?? json?.StatusMessage ?? `HTTP ${status}`);
}

/** 9499 is both "too many request" and "Bad Request": only the first is throttling. */
function isThrottled9499(code: number | null, message: string): boolean {
  return code === 9499 && /too many|frequen|rate/i.test(message);
}

/** Milliseconds to wait from `x-ogw-ratelimit-reset` (seconds until the window resets), if sent. */
export function rateLimitWaitMs(headers: Headers | undefined): number {
  const reset = Number(headers?.get('x-ogw-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.min(reset, 3600) * 1000 : DEFAULT_RATE_LIMIT_WAIT_MS;
}

/**
 * The one rule for Feishu answers.
 * @param api which endpoint answered: the token endpoint and im/v1 put the code in a JSON body
 *   with HTTP 200 or 400; custom bots answer 200 or 400 with `code` (or `StatusCode`).
 */
export function classifyFeishuAnswer(api: FeishuApi, answer: FeishuAnswer): FeishuOutcome {
  if ('unreachable' in answer) {
    return {
      kind: 'retry',
      code: null,
      error: `Feishu unreachable: ${answer.unreachable}`,
      ambiguous: answer.timedOut,
      tokenInvalid: false,
    };
  }
  const { status, json } = answer;
  const code = feishuCodeOf(json);
  const error = messageOf(json, status);
  const prefix = api === 'token' ? 'tenant token: ' : '';
  if (status === 200 && code === 0) return { kind: 'ok' };
  if (!json && status < 400) {
    // a proxy's page where Feishu's JSON should be: we cannot tell what happened
    return { kind: 'retry', code: null, error: `${prefix}HTTP ${status} without Feishu's JSON`, ambiguous: true, tokenInvalid: false };
  }
  if (status === 429 || (code !== null && RATE_LIMIT_CODES.has(code)) || isThrottled9499(code, error)) {
    return { kind: 'rate_limited', code, error: prefix + error, waitMs: rateLimitWaitMs(answer.headers) };
  }
  if (code !== null && TOKEN_INVALID_CODES.has(code) && api !== 'token') {
    return { kind: 'retry', code, error, ambiguous: false, tokenInvalid: true };
  }
  // a 5xx, or Feishu's own "try again" codes: the request did reach Feishu, which may have acted
  if (status >= 500 || (code !== null && TRANSIENT_CODES.has(code))) {
    return { kind: 'retry', code, error: prefix + error, ambiguous: status >= 500, tokenInvalid: false };
  }
  // everything else Feishu refused (any 4xx, or a non-zero code with HTTP 200) is permanent:
  // an unknown code that retried hourly would never reach an admin's eyes
  return { kind: 'permanent', code, error: prefix + error };
}
