/**
 * The one HTTP client of the Feishu (Lark) open platform (../../../shared/reference/feishu-api.md
 * §0-3): every outbound JSON call (sign-in, app bot messages, custom bot webhooks, Bitable) goes
 * through `feishuFetch`, every refusal becomes the same `FeishuApiError` through `feishuError`
 * (classified by ./answers.ts), and the app's tenant and app tokens live in one cache here.
 *
 * Tokens are cached per base URL, app id and secret (a rotated secret never gets the old
 * secret's token; tests against different fakes never share one) until 3 minutes before
 * Feishu's `expire`, as the node SDK does. Callers asking at the same time share one fetch.
 */
import { classifyFeishuAnswer, feishuCodeOf } from './answers.js';
import type { FeishuAnswer, FeishuApi, FeishuOutcome } from './answers.js';

export interface FeishuAppConfig {
  /** e.g. https://open.feishu.cn (or Lark's, or a fake's), without a trailing slash */
  baseUrl: string;
  appId: string;
  appSecret: string;
}

/** Feishu's own requests limit: ten seconds (Bitable pages get longer). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Renew this long before Feishu's `expire`, as the node SDK does. */
const TOKEN_MARGIN_MS = 3 * 60_000;
/** When a token answer carries no `expire`: Feishu's documented two hours. */
const DEFAULT_TOKEN_EXPIRE_S = 7200;

/**
 * A refusal from Feishu, or no answer. `code` is Feishu's error code (-1: none, e.g. unreachable
 * or not Feishu's JSON); `status` the HTTP status (0: no answer); `outcome` what a caller that
 * retries should do (./answers.ts), with `outcome.error` equal to the message.
 */
export class FeishuApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status: number,
    readonly outcome: Exclude<FeishuOutcome, { kind: 'ok' }>,
  ) {
    super(message);
    this.name = 'FeishuApiError';
  }
}

/**
 * One request to Feishu. Never throws: a request that got no answer is `{unreachable}`, a body
 * that is not a JSON object (a proxy's HTML page) has `json: null`.
 */
export async function feishuFetch(
  url: string | URL,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<FeishuAnswer> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  try {
    const res = await fetch(url, {
      method,
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(init.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) json = value as Record<string, unknown>;
    } catch {
      // a proxy's HTML error page: judged by the HTTP status
    }
    return { status: res.status, json, headers: res.headers };
  } catch (error) {
    const e = error as Error;
    // a timeout fires after the request went out: Feishu may have acted on it
    return { unreachable: e.message, timedOut: e.name === 'TimeoutError' || e.name === 'AbortError' };
  }
}

/**
 * The error for an answer that did not do what `what` asked: the same code, message and outcome
 * for the same answer, whichever caller got it. `api`: which kind of endpoint answered (see
 * classifyFeishuAnswer). An answer Feishu called a success but that lacks what was asked (no
 * token, no user) is a retry.
 */
export function feishuError(api: FeishuApi, answer: FeishuAnswer, what: string): FeishuApiError {
  const classified = classifyFeishuAnswer(api, answer);
  const base: Exclude<FeishuOutcome, { kind: 'ok' }> =
    classified.kind === 'ok' ? { kind: 'retry', code: 0, error: '', ambiguous: false, tokenInvalid: false } : classified;
  if ('unreachable' in answer) {
    const message = `${what}: Feishu unreachable: ${answer.unreachable}`;
    return new FeishuApiError(-1, message, 0, { ...base, error: message });
  }
  const { status, json } = answer;
  const code = feishuCodeOf(json);
  const detail = !json
    ? `HTTP ${status} without Feishu's JSON`
    : classified.kind === 'ok'
      ? 'the answer lacks what was asked for'
      : String(json.error_description ?? json.msg ?? json.StatusMessage ?? json.error ?? 'unknown error');
  const message = `${what}: ${detail} (code ${code ?? 'none'}, HTTP ${status})`;
  return new FeishuApiError(code ?? -1, message, status, { ...base, error: message });
}

/** The JSON of an answer that succeeded (HTTP 200, code 0), else the answer's FeishuApiError. */
export function feishuJson(api: FeishuApi, answer: FeishuAnswer, what: string): Record<string, unknown> {
  if (classifyFeishuAnswer(api, answer).kind === 'ok' && 'json' in answer && answer.json) return answer.json;
  throw feishuError(api, answer, what);
}

type TokenKind = 'tenant' | 'app';
interface CachedToken {
  /** Pending while fetched: callers asking meanwhile await the same fetch. */
  token: Promise<string>;
  /** Epoch ms after which it is fetched anew; Infinity while pending. */
  expiresAt: number;
}
const tokens = new Map<string, CachedToken>();

function tokenKey(config: FeishuAppConfig, kind: TokenKind): string {
  // the secret is part of the key: after a rotation the old token must not be served for the new secret
  return `${config.baseUrl}|${config.appId}|${config.appSecret}|${kind}`;
}

async function fetchToken(config: FeishuAppConfig, kind: TokenKind, entry: CachedToken): Promise<string> {
  const answer = await feishuFetch(`${config.baseUrl}/open-apis/auth/v3/${kind}_access_token/internal`, {
    body: { app_id: config.appId, app_secret: config.appSecret },
  });
  const what = `${kind} token`;
  const json = feishuJson('token', answer, what);
  const token = json[`${kind}_access_token`];
  if (typeof token !== 'string' || !token) throw feishuError('token', answer, what);
  const expireS = Number(json.expire) || DEFAULT_TOKEN_EXPIRE_S;
  entry.expiresAt = Date.now() + Math.max(0, expireS * 1000 - TOKEN_MARGIN_MS);
  return token;
}

function cachedToken(config: FeishuAppConfig, kind: TokenKind): Promise<string> {
  const key = tokenKey(config, kind);
  const hit = tokens.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.token;
  const entry: CachedToken = { token: Promise.resolve(''), expiresAt: Number.POSITIVE_INFINITY };
  entry.token = fetchToken(config, kind, entry);
  tokens.set(key, entry);
  // a failed fetch is not cached: the next caller asks Feishu again
  entry.token.catch(() => {
    if (tokens.get(key) === entry) tokens.delete(key);
  });
  return entry.token;
}

/**
 * tenant_access_token of the internal app (bot messages, Bitable, attachments).
 * @throws FeishuApiError (10014 bad secret, 10003 bad app id, unreachable...)
 */
export function tenantAccessToken(config: FeishuAppConfig): Promise<string> {
  return cachedToken(config, 'tenant');
}

/** app_access_token of the internal app (the legacy OIDC exchange). @throws FeishuApiError */
export function appAccessToken(config: FeishuAppConfig): Promise<string> {
  return cachedToken(config, 'app');
}

/**
 * Forgets the app's tenant token after Feishu refused it (expired or revoked), so that the next
 * call fetches a new one. With `refused`, only when that is still the cached token: a token
 * another caller has meanwhile renewed stays.
 */
export async function forgetTenantToken(config: FeishuAppConfig, refused?: string): Promise<void> {
  const key = tokenKey(config, 'tenant');
  const entry = tokens.get(key);
  if (!entry) return;
  if (refused !== undefined) {
    const current = await entry.token.catch(() => null);
    if (current !== refused) return;
  }
  if (tokens.get(key) === entry) tokens.delete(key);
}

/** Forgets every cached token (tests against several fakes). */
export function clearFeishuTokens(): void {
  tokens.clear();
}
