/**
 * HTTP hardening asked for by the outside probe (issue 11), in one place that app.ts calls:
 * security headers (a real CSP, Referrer-Policy, HSTS behind HTTPS), `Cache-Control: no-store`
 * on the API's JSON, the /trpc body limit, and error answers without stacks or file paths.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import helmet from 'helmet';
import type { Env } from '../env.js';
import { basemapConfig } from '../routers/config.js';

/** Feishu's web domains may frame the app (the workbench opens it in a web view or frame). */
export const FRAME_ANCESTORS = "'self' https://*.feishu.cn https://*.feishuapp.com https://*.larksuite.com https://*.larkoffice.com";

/** HSTS lifetime: 180 days, helmet's default and what scanners ask for. */
const HSTS_MAX_AGE_S = 180 * 24 * 3600;

function originOf(url: string): string | null {
  try {
    // tile templates hold {z}/{x}/{y} (and may hold them in the host, e.g. {a-c} expanded already)
    const origin = new URL(url.replace(/\{[^}]*\}/g, '0')).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null; // a path on this app ('self' covers it)
  }
}

type CspEnv = Pick<Env, 'FEISHU_JSSDK_URL' | 'PHOTO_HOSTS' | 'BASEMAP' | 'BASEMAP_TILE_URL' | 'BASEMAP_STYLE_URL' | 'BASEMAP_PMTILES_URL'>;

/**
 * The Content-Security-Policy directives for this deployment. What the client needs:
 * - scripts: the built bundle ('self') and, inside Feishu, the JS SDK (FEISHU_JSSDK_URL's origin);
 * - workers: MapLibre starts its workers from blob: URLs (child-src for older WebKit);
 * - images: 'self', data: (icons, deck.gl), blob: (MapLibre's decoded tiles), photos from
 *   PHOTO_HOSTS (https), the basemap's tile hosts;
 * - connections: the API ('self'), the basemap's tiles, style or PMTiles archive. A `style`
 *   basemap names its tile, glyph and sprite hosts inside the style JSON, unknown here, so that
 *   mode allows https: connections and images;
 * - styles: 'unsafe-inline' as well, because MapLibre, deck.gl and ECharts write style
 *   attributes; a style cannot run script, and script stays strict;
 * - deck.gl draws with WebGL, which needs no directive.
 */
export function contentSecurityPolicy(env: CspEnv): Record<string, string[]> {
  const basemap = basemapConfig(env);
  const basemapOrigins = [...basemap.tileUrls, basemap.styleUrl, basemap.pmtilesUrl]
    .filter((u): u is string => !!u)
    .map(originOf)
    .filter((o): o is string => !!o);
  const anyHttps = env.BASEMAP === 'style' ? ['https:'] : [];
  const photoSources = env.PHOTO_HOSTS.map((h) => `https://${h}`);
  const sdk = originOf(env.FEISHU_JSSDK_URL);
  const unique = (list: string[]) => [...new Set(list)];
  return {
    'default-src': ["'self'"],
    'script-src': unique(["'self'", ...(sdk ? [sdk] : [])]),
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    'img-src': unique(["'self'", 'data:', 'blob:', ...photoSources, ...basemapOrigins, ...anyHttps]),
    'connect-src': unique(["'self'", ...basemapOrigins, ...(sdk ? [sdk] : []), ...anyHttps]),
    'style-src': ["'self'", "'unsafe-inline'"],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': FRAME_ANCESTORS.split(' '),
  };
}

/**
 * helmet with the CSP above and:
 * - Referrer-Policy `strict-origin-when-cross-origin`: other sites (tile servers, photo hosts)
 *   learn the origin only, never a path with filters or incident ids; OpenStreetMap's tile policy
 *   wants a Referer, which `no-referrer` would withhold;
 * - no X-Frame-Options: Feishu frames the app, which `frame-ancestors` allows and XFO would not;
 * - HSTS only on HTTPS (a proxy on loopback saying X-Forwarded-Proto: https counts, see
 *   `trust proxy`): sent over plain HTTP it is ignored, and on localhost it would pin the dev port.
 */
export function securityHeaders(env: CspEnv): RequestHandler[] {
  const hsts = helmet.strictTransportSecurity({ maxAge: HSTS_MAX_AGE_S, includeSubDomains: false });
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(env) },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      xFrameOptions: false,
      strictTransportSecurity: false,
      // the app is framed by Feishu and opens Feishu's OAuth page: no cross-origin isolation
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    }),
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
  ];
}

/** Answers from the API depend on the cookie or key: no cache (browser, proxy) may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** A tRPC-shaped error, so that the client reads it like any other. */
function trpcError(status: number, code: string, jsonRpcCode: number, message: string) {
  return { error: { message, code: jsonRpcCode, data: { code, httpStatus: status } } };
}

/**
 * The /trpc body limit (TRPC_MAX_BODY_MB), before any procedure (and before the session lookup):
 * a declared Content-Length over the limit is answered 413 without reading the body, and the
 * connection is closed so that the rest is not read either. A body without Content-Length
 * (chunked) is refused with 411: tRPC reads a body only when the procedure takes input, so a
 * procedure without input (auth.logout) would run whatever streamed in. Browsers and the tRPC
 * client always send Content-Length.
 */
export function trpcBodyLimit(env: Pick<Env, 'TRPC_MAX_BODY_MB'>): RequestHandler {
  const limit = trpcMaxBodyBytes(env);
  return (req, res, next) => {
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding'] !== undefined) {
      res.setHeader('Connection', 'close');
      res.status(411).json(trpcError(411, 'BAD_REQUEST', -32600, 'Send the request body with a Content-Length header.'));
      return;
    }
    if (!(Number(length ?? 0) > limit)) return next();
    res.setHeader('Connection', 'close');
    res
      .status(413)
      .json(trpcError(413, 'PAYLOAD_TOO_LARGE', -32413, `The request body is larger than ${env.TRPC_MAX_BODY_MB} MB.`));
  };
}

export function trpcMaxBodyBytes(env: Pick<Env, 'TRPC_MAX_BODY_MB'>): number {
  return Math.round(env.TRPC_MAX_BODY_MB * 1024 * 1024);
}

/**
 * Why a request body could not be read, as the client's fault (4xx with a message), or null when
 * the error is not about the body. body-parser sets `type` on its own errors; a Content-Encoding
 * that does not match the bytes (a "gzip" body that is not gzip) comes from zlib with only a
 * status 400 and zlib's code.
 */
export function bodyReadError(error: unknown, req: Request, maxMb: number): { status: number; message: string } | null {
  const e = error as { type?: string; status?: number; code?: unknown };
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (e.type === 'entity.too.large') return { status: 413, message: `The body is larger than ${maxMb} MB; split the batch.` };
  if (e.type === 'entity.parse.failed') return { status: 400, message: 'The body is not valid JSON.' };
  if (e.type === 'encoding.unsupported') return { status: 415, message: `Content-Encoding ${encoding} is not supported: send gzip, deflate, br or none.` };
  if (e.type === 'charset.unsupported') return { status: 415, message: 'Send the body as UTF-8 JSON.' };
  if (e.type === 'request.aborted' || e.type === 'request.size.invalid' || e.type === 'stream.encoding.set') {
    return { status: 400, message: 'The body could not be read.' };
  }
  if (encoding && encoding !== 'identity' && e.status === 400 && e.type === undefined) {
    return { status: 400, message: `The body is not valid ${encoding} data although Content-Encoding says ${encoding}: send it compressed that way, or without the header.` };
  }
  return null;
}

/**
 * The last error handler: Express's own prints the stack (with file paths) outside production.
 * A client's error (4xx, e.g. a malformed %-escape in a path) gets its status and a short
 * message; anything else is logged here with its stack and answered 500 without details.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error); // Express cuts the connection: all that is left to do
  const status = (error as { status?: unknown }).status;
  const clientError = typeof status === 'number' && status >= 400 && status < 500;
  if (!clientError) console.error(`${req.method} ${req.path} failed:`, error);
  const code = clientError ? status : 500;
  const message = clientError ? (code === 400 ? 'Bad request: the URL or body is malformed.' : `Request refused (${code}).`) : 'Internal server error.';
  res.status(code);
  if (req.path.startsWith('/trpc') || req.path.startsWith('/api/') || req.accepts(['text', 'json']) === 'json') {
    res.json({ error: message });
  } else {
    res.type('text/plain').send(message);
  }
};
