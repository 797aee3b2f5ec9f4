/**
 * Browser OAuth for a plain browser (desktop Feishu opens chat links in the system browser):
 * GET /auth/feishu/start?next=/path -> Feishu's authorize page with a random `state` kept in an
 * HttpOnly cookie -> GET /auth/feishu/callback?code&state -> session -> back to `next`.
 * The state check stops login CSRF (someone else's code planted in this browser).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { createContext, SESSION_COOKIE } from '../../context.js';
import type { AppDeps } from '../../context.js';
import { feishuConfig, SignInError, signInWithFeishuCode } from './sign-in.js';

export const OAUTH_STATE_COOKIE = 'hexwatch_oauth_state';
const STATE_TTL_MS = 10 * 60_000;

/** Only same-site paths: an open redirect after sign-in would hand phishers a trusted link. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next.length > 2000 ? '/' : next;
}

export function publicBaseUrl(deps: AppDeps, req: Request): string {
  return deps.env.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small page of its own: the client may not be built, and the reason must reach the person. */
function signInErrorPage(res: Response, status: number, reason: string, message: string) {
  res
    .status(status)
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>Hexwatch: sign-in failed</title><body style="font-family:system-ui;max-width:36rem;margin:3rem auto;padding:0 1rem">` +
        `<h1>Hexwatch</h1><p data-reason="${escapeHtml(reason)}">${escapeHtml(message)}</p>` +
        `<p><a href="/auth/feishu/start">Sign in again</a></p></body></html>`,
    );
}

export function feishuAuthRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/start', async (req, res, next) => {
    try {
      const config = feishuConfig(deps.env);
      if (!config) return signInErrorPage(res, 404, 'not_configured', 'Feishu sign-in is not configured on this server.');
      const state = randomBytes(24).toString('base64url');
      const ctx = await createContext(deps, req, res);
      const nextPath = safeNextPath(req.query.next);
      ctx.setCookie?.(OAUTH_STATE_COOKIE, `${state}|${encodeURIComponent(nextPath)}`, { maxAgeMs: STATE_TTL_MS });
      const authorize = new URL('/open-apis/authen/v1/authorize', deps.env.FEISHU_ACCOUNTS_URL);
      authorize.searchParams.set('client_id', config.appId);
      authorize.searchParams.set('redirect_uri', `${publicBaseUrl(deps, req)}/auth/feishu/callback`);
      authorize.searchParams.set('state', state);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, authorize.toString());
    } catch (error) {
      next(error);
    }
  });

  router.get('/callback', async (req, res, next) => {
    try {
      const ctx = await createContext(deps, req, res);
      const cookie = parseCookies(req.headers.cookie ?? '')[OAUTH_STATE_COOKIE] ?? '';
      ctx.clearCookie?.(OAUTH_STATE_COOKIE); // single use, whatever happens next
      const [expected = '', nextEncoded = ''] = cookie.split('|');
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      if (!expected || !state || !sameString(expected, state)) {
        return signInErrorPage(res, 400, 'bad_state', 'This sign-in link is stale or was not started here: sign in again.');
      }
      if (typeof req.query.error === 'string') {
        return signInErrorPage(res, 403, 'denied', 'Feishu sign-in was cancelled.');
      }
      const code = typeof req.query.code === 'string' ? req.query.code : '';
      if (!code || code.length > 512) return signInErrorPage(res, 400, 'bad_code', 'The Feishu sign-in code is missing.');
      let nextPath = '/';
      try {
        nextPath = safeNextPath(decodeURIComponent(nextEncoded));
      } catch {
        // a mangled cookie: go home
      }
      const signedIn = await signInWithFeishuCode(deps, code, `${publicBaseUrl(deps, req)}/auth/feishu/callback`, ctx.sessionToken);
      ctx.setCookie?.(SESSION_COOKIE, signedIn.token, { maxAgeMs: signedIn.ttlMs });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, nextPath);
    } catch (error) {
      if (error instanceof SignInError) {
        const status = error.reason === 'feishu_unavailable' ? 502 : error.reason === 'bad_code' ? 401 : error.reason === 'not_configured' ? 503 : 403;
        return signInErrorPage(res, status, error.reason, error.message);
      }
      next(error);
    }
  });

  return router;
}
