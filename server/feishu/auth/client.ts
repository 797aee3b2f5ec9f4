/**
 * Outbound calls to the Feishu (Lark) open platform for sign-in, with the shapes of
 * ../../../../shared/reference/feishu-api.md §0-1, through the one Feishu client (../http.ts,
 * which also holds the app's tokens). The base URL is configurable (Feishu, Lark or a local fake
 * in tests).
 */
import { feishuError, feishuFetch, feishuJson } from '../http.js';
import type { FeishuAppConfig } from '../http.js';

export { appAccessToken, clearFeishuTokens as clearFeishuTokenCache, FeishuApiError, tenantAccessToken } from '../http.js';
export type { FeishuAppConfig } from '../http.js';

export interface FeishuUserInfo {
  openId: string;
  unionId: string | null;
  name: string;
  enName: string | null;
  avatarUrl: string | null;
  email: string | null;
}

/**
 * Code -> user access token with the current v2 endpoint. `redirectUri` is required for the
 * browser OAuth flow (equal to the authorize call's) and absent for in-client codes.
 * @throws FeishuApiError (20003/20065 used, 20004 expired, 20010 no access, 20071 redirect mismatch)
 */
export async function exchangeCode(config: FeishuAppConfig, code: string, redirectUri?: string): Promise<string> {
  const answer = await feishuFetch(`${config.baseUrl}/open-apis/authen/v2/oauth/token`, {
    body: {
      grant_type: 'authorization_code',
      client_id: config.appId,
      client_secret: config.appSecret,
      code,
      ...(redirectUri ? { redirect_uri: redirectUri } : {}),
    },
  });
  const json = feishuJson('app', answer, 'code exchange');
  if (typeof json.access_token !== 'string') throw feishuError('app', answer, 'code exchange');
  return json.access_token;
}

/** @throws FeishuApiError (20005 invalid token, 20021 resigned, 20022 frozen) */
export async function userInfo(config: FeishuAppConfig, userAccessToken: string): Promise<FeishuUserInfo> {
  const answer = await feishuFetch(`${config.baseUrl}/open-apis/authen/v1/user_info`, {
    headers: { authorization: `Bearer ${userAccessToken}` },
  });
  const data = feishuJson('app', answer, 'user info').data as Record<string, unknown> | undefined;
  if (!data || typeof data.open_id !== 'string' || !data.open_id) throw feishuError('app', answer, 'user info');
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
