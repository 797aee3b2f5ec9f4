/**
 * Cross-site request protection for the cookie-authenticated API (/trpc). The session cookie is
 * `SameSite=None` on HTTPS (Feishu frames the app, see context.ts), so the browser would attach it
 * to a request another site makes: the cookie alone cannot be trusted for a change.
 * A state-changing request must therefore
 *  - be `Content-Type: application/json`, which an HTML form cannot send and a cross-site
 *    fetch cannot send without a CORS preflight (which this server never grants), and
 *  - come from an allowed origin when the browser names one (`Origin`, `Sec-Fetch-Site`).
 * Requests without Origin (curl, server-to-server) pass: they carry no victim's cookies.
 */
import type { Request, RequestHandler } from 'express';
import type { Env } from '../env.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The origins a state-changing request may come from: the app's own, PUBLIC_URL and ALLOWED_ORIGINS. */
export function allowedOrigins(env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_ORIGINS'>, req: Request): Set<string> {
  const origins = new Set<string>();
  const host = req.get('host');
  if (host) origins.add(`${req.protocol}://${host}`);
  if (env.PUBLIC_URL) origins.add(originOf(env.PUBLIC_URL) ?? env.PUBLIC_URL);
  for (const o of env.ALLOWED_ORIGINS) origins.add(originOf(o) ?? o);
  return origins;
}

/**
 * Why a request is refused, or null to let it through. `contentType` is the one type accepted:
 * application/json for /trpc, application/octet-stream for a file upload (neither can come from
 * an HTML form, and both need a CORS preflight cross-site).
 */
export function crossSiteRefusal(
  env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_ORIGINS'>,
  req: Request,
  contentType: 'application/json' | 'application/octet-stream' = 'application/json',
): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== contentType) return `State-changing requests must be sent as ${contentType}.`;
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'Cross-site requests may not change anything.';
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(env, req).has(origin)) {
    return `Requests from ${origin === 'null' ? 'an opaque origin' : origin} may not change anything.`;
  }
  return null;
}

/** Express middleware: refuses with 403 in tRPC's error shape, so the client reads it like any error. */
export function csrfGuard(env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_ORIGINS'>): RequestHandler {
  return (req, res, next) => {
    const refusal = crossSiteRefusal(env, req);
    if (!refusal) return next();
    res.status(403).json({ error: { message: refusal, code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403 } } });
  };
}
