/**
 * Outbound calls to the Feishu (Lark) open platform for sign-in, with the shapes of
 * ../../../../shared/reference/feishu-api.md §0-1. The base URL is configurable (Feishu, Lark or a
 * local fake in tests). App and tenant tokens are cached until 3 minutes before they expire, per
 * base URL and app id, so that tests against different fakes never share a token.
 */

export interface FeishuAppConfig {
  /** e.g. https://open.feishu.cn, without a trailing slash */
  baseUrl: string;
  appId: string;
  appSecret: string;
}

/** A refusal from Feishu: `code` is Feishu's error code (20003 used code, 20004 expired...). */
export class FeishuApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** HTTP status, 0 when the request never got an answer. */
    readonly status: number,
  ) {
    super(message);
  }
}

export interface FeishuUserInfo {
  openId: string;
  unionId: string | null;
  name: string;
  enName: string | null;
  avatarUrl: string | null;
  email: string | null;
}

/** Renew this long before Feishu's `expire`, as the node SDK does. */
const TOKEN_MARGIN_MS = 3 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

const tokenCache = new Map<string, { token: string; expiresAt: number }>();

/** Forget cached tokens (tests; and after Feishu reports a token invalid). */
export function clearFeishuTokenCache(): void {
  tokenCache.clear();
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new FeishuApiError(-1, `Feishu unreachable: ${(error as Error).message}`, 0);
  }
  return { status: res.status, json: await readJson(res) };
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: a proxy's HTML error page, say
  }
  throw new FeishuApiError(-1, `Feishu answered HTTP ${res.status} without a JSON object`, res.status);
}

/** `code` may come as number or string (reference §1): test Number(code) === 0. */
function feishuCode(json: Record<string, unknown>): number {
  const n = Number(json.code);
  return Number.isFinite(n) ? n : -1;
}

function failure(json: Record<string, unknown>, status: number, what: string): FeishuApiError {
  const detail = json.error_description ?? json.msg ?? json.error ?? 'unknown error';
  return new FeishuApiError(feishuCode(json), `${what}: ${String(detail)} (code ${String(json.code)})`, status);
}

async function cachedToken(config: FeishuAppConfig, kind: 'tenant' | 'app'): Promise<string> {
  // the secret is part of the key: after a rotation the old token must not be served for the new secret
  const key = `${config.baseUrl}|${config.appId}|${config.appSecret}|${kind}`;
  const hit = tokenCache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.token;
  const { status, json } = await postJson(`${config.baseUrl}/open-apis/auth/v3/${kind}_access_token/internal`, {
    app_id: config.appId,
    app_secret: config.appSecret,
  });
  const token = json[`${kind}_access_token`];
  if (feishuCode(json) !== 0 || typeof token !== 'string') throw failure(json, status, `${kind} token`);
  const expireS = Number(json.expire) || 7200;
  tokenCache.set(key, { token, expiresAt: Date.now() + Math.max(0, expireS * 1000 - TOKEN_MARGIN_MS) });
  return token;
}

/** tenant_access_token of the internal app (bot messages, Bitable). */
export function tenantAccessToken(config: FeishuAppConfig): Promise<string> {
  return cachedToken(config, 'tenant');
}

/** app_access_token of the internal app (the legacy OIDC exchange). */
export function appAccessToken(config: FeishuAppConfig): Promise<string> {
  return cachedToken(config, 'app');
}

/**
 * Code -> user access token with the current v2 endpoint. `redirectUri` is required for the
 * browser OAuth flow (equal to the authorize call's) and absent for in-client codes.
 * @throws FeishuApiError (20003/20065 used, 20004 expired, 20010 no access, 20071 redirect mismatch)
 */
export async function exchangeCode(config: FeishuAppConfig, code: string, redirectUri?: string): Promise<string> {
  const { status, json } = await postJson(`${config.baseUrl}/open-apis/authen/v2/oauth/token`, {
    grant_type: 'authorization_code',
    client_id: config.appId,
    client_secret: config.appSecret,
    code,
    ...(redirectUri ? { redirect_uri: redirectUri } : {}),
  });
  if (feishuCode(json) !== 0 || typeof json.access_token !== 'string' || status >= 400) {
    throw failure(json, status, 'code exchange');
  }
  return json.access_token;
}

/** @throws FeishuApiError (20005 invalid token, 20021 resigned, 20022 frozen) */
export async function userInfo(config: FeishuAppConfig, userAccessToken: string): Promise<FeishuUserInfo> {
  let res: Response;
  try {
    res = await fetch(`${config.baseUrl}/open-apis/authen/v1/user_info`, {
      headers: { authorization: `Bearer ${userAccessToken}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new FeishuApiError(-1, `Feishu unreachable: ${(error as Error).message}`, 0);
  }
  const json = await readJson(res);
  const data = json.data as Record<string, unknown> | undefined;
  if (feishuCode(json) !== 0 || !data || typeof data.open_id !== 'string' || !data.open_id) {
    throw failure(json, res.status, 'user info');
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    openId: data.open_id,
    unionId: text(data.union_id),
    name: text(data.name) ?? text(data.en_name) ?? data.open_id,
    enName: text(data.en_name),
    avatarUrl: text(data.avatar_url),
    email: text(data.email),
  };
}
