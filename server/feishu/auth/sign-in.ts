/**
 * Feishu sign-in shared by the in-client flow (tRPC auth.feishuLogin with a tt.requestAccess code)
 * and the browser OAuth callback: code -> user token -> open id -> Hexwatch user -> session.
 */
import type { Env } from '../../env.js';
import type { IncidentStore, User } from '../../store/types.js';
import { exchangeCode, FeishuApiError, userInfo } from './client.js';
import type { FeishuAppConfig } from './client.js';

export type SignInFailure =
  /** Feishu sign-in is not configured (no app id / secret). */
  | 'not_configured'
  /** The code is unknown, already used or expired (codes are single use, valid 3 minutes). */
  | 'bad_code'
  /** Feishu says the user may not use the app (20010), or the account is resigned or frozen. */
  | 'no_access'
  /** Signed in to Feishu, but no Hexwatch user has this open id: ask an admin. */
  | 'unknown_user'
  | 'feishu_unavailable';

export class SignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Feishu codes that mean "this code cannot be exchanged" (reference §1): a fresh code helps. */
const BAD_CODE = new Set([20003, 20004, 20014, 20024, 20065, 20071]);
const NO_ACCESS = new Set([20010, 20021, 20022]);
/** Our own set-up is wrong (20001 bad grant type, 20002 wrong app id or secret): no retry helps. */
const MISCONFIGURED = new Set([20001, 20002]);
/** Feishu's own server error: try again later. */
const FEISHU_SERVER_ERROR = 20050;

export const NOT_SET_UP_MESSAGE = 'Hexwatch is not set up for Feishu sign-in yet: ask your admin.';
export const FEISHU_UNAVAILABLE_MESSAGE = 'Feishu is unavailable, try again in a minute.';

export function feishuConfig(env: Env): FeishuAppConfig | null {
  if (!env.FEISHU_APP_ID || !env.FEISHU_APP_SECRET) return null;
  return { baseUrl: env.FEISHU_BASE_URL, appId: env.FEISHU_APP_ID, appSecret: env.FEISHU_APP_SECRET };
}

/**
 * What a failed exchange means for the person signing in. Signing in again helps only with a
 * bad code; a set-up error is the operator's (logged), and Feishu being down is nobody's.
 */
function toSignInError(error: unknown, log: (line: string) => void): SignInError {
  if (!(error instanceof FeishuApiError)) throw error;
  if (MISCONFIGURED.has(error.code)) {
    log(`Feishu sign-in is misconfigured: ${error.message}. Check FEISHU_APP_ID and FEISHU_APP_SECRET.`);
    return new SignInError('not_configured', NOT_SET_UP_MESSAGE);
  }
  if (NO_ACCESS.has(error.code)) return new SignInError('no_access', 'Your Feishu account may not use Hexwatch: ask your admin.');
  // Feishu's server error, a 5xx, no answer at all (status 0), or a page that was not Feishu's JSON
  if (error.code === FEISHU_SERVER_ERROR || error.status >= 500 || error.status === 0 || error.code === -1) {
    return new SignInError('feishu_unavailable', FEISHU_UNAVAILABLE_MESSAGE);
  }
  // 20004 expired, 20003/20065 used, or another refusal of this code: the client asks for a fresh one
  if (BAD_CODE.has(error.code) || (error.status >= 400 && error.status < 500)) {
    return new SignInError('bad_code', 'The Feishu sign-in code is invalid, used or expired: sign in again.');
  }
  return new SignInError('feishu_unavailable', FEISHU_UNAVAILABLE_MESSAGE);
}

export interface SignedIn {
  user: User;
  token: string;
  ttlMs: number;
}

/**
 * @throws SignInError with the reason a page can show; other errors are ours (store failures)
 */
export async function signInWithFeishuCode(
  deps: { env: Env; store: IncidentStore; log?: (line: string) => void },
  code: string,
  redirectUri?: string,
  /** The session token the browser still holds: revoked by the new session. */
  replaces?: string | null,
): Promise<SignedIn> {
  const config = feishuConfig(deps.env);
  if (!config) throw new SignInError('not_configured', 'Feishu sign-in is not configured (FEISHU_APP_ID, FEISHU_APP_SECRET).');
  let info;
  try {
    const userToken = await exchangeCode(config, code, redirectUri);
    info = await userInfo(config, userToken);
  } catch (error) {
    throw toSignInError(error, deps.log ?? ((line) => console.error(line)));
  }
  const security = deps.store.security;
  let userId = await security.userIdByFeishuOpenId(info.openId);
  if (!userId) {
    if (!(await security.settings()).autoViewer) {
      throw new SignInError(
        'unknown_user',
        `${info.name} is not a Hexwatch user yet: ask your admin to add your Feishu account (open id ${info.openId}).`,
      );
    }
    // Admins chose to let first sign-ins in: as viewers of no store, until an admin assigns stores.
    userId = `feishu-${info.openId}`;
    await deps.store.upsertUsers([{ id: userId, name: info.name, role: 'viewer', storeIds: [], feishuOpenId: info.openId }]);
  }
  const user = await deps.store.getUser(userId);
  if (!user) throw new SignInError('unknown_user', 'Your Hexwatch user was just removed: ask your admin.');
  if ((await security.disabledUserIds()).includes(user.id)) {
    throw new SignInError('no_access', 'Your Hexwatch user is disabled: ask your admin.');
  }
  const ttlMs = deps.env.SESSION_TTL_HOURS * 3_600_000;
  const token = await deps.store.createSession(user.id, ttlMs, replaces);
  return { user, token, ttlMs };
}
