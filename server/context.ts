import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Env } from './env.js';
import { requestIdOf } from './observability/request-log.js';
import type { IncidentStore, User } from './store/types.js';

export const SESSION_COOKIE = 'hexwatch_session';

/** What every procedure may use. `res` is absent when called through createCaller in tests. */
export interface Context {
  env: Env;
  store: IncidentStore;
  user: User | null;
  sessionToken: string | null;
  /** Whether the request came over HTTPS (cookies then get `Secure; SameSite=None` for Feishu). */
  secure: boolean;
  setCookie?: (name: string, value: string, opts: { maxAgeMs: number }) => void;
  clearCookie?: (name: string) => void;
  /** The request's id (X-Request-Id), put into error responses; absent in createCaller tests. */
  requestId?: string;
}

export interface AppDeps {
  env: Env;
  store: IncidentStore;
}

export async function createContext(deps: AppDeps, req: Request, res: Response): Promise<Context> {
  const cookies = parseCookies(req.headers.cookie ?? '');
  const token = cookies[SESSION_COOKIE] ?? null;
  const user = token ? await deps.store.sessionUser(token) : null;
  const secure = req.secure || req.headers['x-forwarded-proto'] === 'https';
  const cookieOptions = {
    httpOnly: true,
    secure,
    // Feishu embeds the app in a cross-site frame: only SameSite=None cookies reach it, and those need Secure.
    sameSite: secure ? ('none' as const) : ('lax' as const),
    path: '/',
  };
  return {
    ...deps,
    user,
    sessionToken: user ? token : null,
    secure,
    setCookie: (name, value, { maxAgeMs }) => res.cookie(name, value, { ...cookieOptions, maxAge: maxAgeMs }),
    clearCookie: (name) => res.clearCookie(name, cookieOptions),
    requestId: requestIdOf(req),
  };
}
