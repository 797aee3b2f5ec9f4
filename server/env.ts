/**
 * Configuration, parsed with zod by `parseEnv` when the server or a command starts (not at
 * import: tests and commands pass their own environment). A bad value stops the start with one clear line.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { clockStartingAt, systemClock } from './clock.js';
import type { Clock } from './clock.js';

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * A comma-separated list of host names (`cdn.example.com`) or wildcard suffixes (`*.example.com`,
 * which matches sub-domains, not the bare domain), lower-cased.
 */
const hostList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .max(253)
          .regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, 'must be comma-separated host names such as cdn.example.com or *.example.com'),
      )
      .max(100),
  );

const secretKey = z
  .string()
  .trim()
  .refine((v) => {
    const bytes = /^[0-9a-f]{64}$/i.test(v) ? 32 : /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) ? Buffer.from(v, 'base64').length : 0;
    return bytes === 32;
  }, 'must be 32 random bytes as base64 or 64 hex digits (make one with: openssl rand -base64 32)');

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./var'),
    /**
     * The built client the server serves (and `vite build` writes). Default: this checkout's
     * dist/client, whatever the working folder, so that two checkouts never serve each other's build.
     */
    CLIENT_DIR: z
      .string()
      .min(1)
      .default(fileURLToPath(new URL('../dist/client', import.meta.url)))
      .transform((dir) => resolve(dir)),
    /**
     * AES-256-GCM key sealing third-party secrets in the database (32 bytes, base64 or hex).
     * Required in production; otherwise generated into DATA_DIR/secret.key (mode 0600).
     */
    SECRET_KEY: secretKey.optional(),
    /** The key before a rotation: still opens values sealed with it until `npm run secrets -- rotate`. */
    SECRET_KEY_PREVIOUS: secretKey.optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded DuckDB)')
      .optional(),
    /** DuckDB's buffer memory limit for the server (DuckDB's own default takes 80 % of the machine). */
    DUCKDB_MEMORY_LIMIT: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 1GB or 512MB')
      .default('1GB'),
    /**
     * DuckDB: the ingest journal (acknowledged batches since the last checkpoint, for recovery
     * when DuckDB cannot replay its WAL) is folded into a checkpoint once it is this large.
     */
    DUCKDB_JOURNAL_CHECKPOINT_MB: z.coerce.number().min(0).max(1024).default(16),
    DEMO_DATA: z.enum(['small', 'default', 'large', 'huge', 'none']).default('default'),
    /** Seed of the demo generator: the same size, seed and end of history write the same rows. */
    DEMO_SEED: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
    /**
     * Test only (refused with NODE_ENV=production): the instant the server's clock starts at
     * (ISO-8601 with a zone, e.g. 2026-06-15T04:00:00Z), advancing in real time from there. The
     * demo's history ends there and "today", SLA due times and alert scans count from it.
     */
    HEXWATCH_NOW: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 instant with a zone, such as 2026-06-15T04:00:00Z' })
      .transform((v) => new Date(v))
      .optional(),
    AUTH_MODE: z.enum(['dev', 'feishu']).optional(),
    /** Hours a session cookie stays valid. */
    SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 90).default(24 * 7),
    /** Where users reach the app, e.g. https://hexwatch.example.com: the OAuth redirect and links in cards. */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://hexwatch.example.com' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    /** Feishu (or Lark) app credentials, from the developer console; required with AUTH_MODE=feishu. */
    FEISHU_APP_ID: z.string().trim().min(1).max(100).optional(),
    FEISHU_APP_SECRET: z.string().trim().min(1).max(200).optional(),
    /**
     * Feishu callbacks and events (POST /feishu/callback): the app's Encrypt Key (signature check
     * and AES decryption) and Verification Token, from the console's "Events & Callbacks" page.
     */
    FEISHU_ENCRYPT_KEY: z.string().trim().min(1).max(200).optional(),
    FEISHU_VERIFICATION_TOKEN: z.string().trim().min(1).max(200).optional(),
    /**
     * How Feishu's events and card callbacks arrive: `webhook` (POST /feishu/callback, needs a
     * public URL) or `long_connection` (the SDK connects out to Feishu; no public URL).
     */
    FEISHU_EVENT_MODE: z.enum(['webhook', 'long_connection']).default('webhook'),
    /** Open-platform API base: Feishu, Lark (https://open.larksuite.com) or a local fake in tests. */
    FEISHU_BASE_URL: httpUrl.default('https://open.feishu.cn'),
    /** Host of the browser OAuth page (Lark: https://accounts.larksuite.com). */
    FEISHU_ACCOUNTS_URL: httpUrl.default('https://accounts.feishu.cn'),
    /** The Feishu JS SDK the client loads inside the Feishu client only. */
    FEISHU_JSSDK_URL: httpUrl.default('https://lf-scm-cn.feishucdn.com/lark/op/h5-js-sdk-1.5.44.js'),
    /**
     * The map's basemap: `offline` (bundled, no network), `osm` (raster tiles), `style` (a vector
     * style URL), `pmtiles` (a self-hosted archive) or `amap` (GCJ-02 tiles: drawings are shifted).
     */
    BASEMAP: z.enum(['offline', 'osm', 'style', 'pmtiles', 'amap']).default('offline'),
    /** Tile URL template for `osm` / `amap` ({z}/{x}/{y}); each has a public default. */
    BASEMAP_TILE_URL: z.string().regex(/\{z\}.*\{x\}.*\{y\}/, 'must be a tile URL template with {z}, {x} and {y}').optional(),
    /** Style JSON URL for BASEMAP=style. */
    BASEMAP_STYLE_URL: z.url({ message: 'must be a URL of a MapLibre style JSON' }).optional(),
    /** Archive URL for BASEMAP=pmtiles (served by this app or any HTTP range server). */
    BASEMAP_PMTILES_URL: z.string().min(1).optional(),
    /** Minutes between hot-spot alert scans. */
    ALERT_SCAN_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Ingest requests per minute per API key (a burst of that many, refilled evenly). */
    INGEST_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    /** Largest ingest request body in megabytes (5,000 records of ~1 KB fit in 6 MB). */
    INGEST_MAX_BODY_MB: z.coerce.number().min(0.1).max(100).default(8),
    /** Largest /trpc request body in megabytes; bigger bodies get 413 before any procedure runs. */
    TRPC_MAX_BODY_MB: z.coerce.number().min(0.01).max(100).default(1),
    /**
     * How far (in delivery radii of the store) an ingested record naming a `storeCode` may lie from
     * that store; farther is refused with 422 (a wrong store code, or coordinates in another city).
     */
    INGEST_MAX_STORE_RADII: z.coerce.number().min(1).max(100).default(3),
    /** Hosts photos are shown from (https), besides the app's own /media; photos elsewhere are not rendered. */
    PHOTO_HOSTS: hostList,
    /** Hosts alert webhooks may go to, besides Feishu's and Lark's (https). */
    WEBHOOK_HOSTS: hostList,
    /** Request log level (one JSON line per request on stdout); default info, silent under NODE_ENV=test. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    /** Bearer token that lets a scraper read /metrics from another machine (loopback needs none). */
    METRICS_TOKEN: z
      .string()
      .trim()
      .min(16, 'must be at least 16 characters (a random secret)')
      .max(500)
      .regex(/^\S+$/, 'must not contain spaces')
      .optional(),
    /**
     * Largest file the admin page "Import" accepts, in megabytes as uploaded (a .csv.gz counts
     * compressed). The Hong Kong file is 2 MB gzipped, 15 MB as CSV.
     */
    IMPORT_MAX_MB: z.coerce.number().min(0.01).max(10_000).default(200),
    /** Extra origins allowed to call mutations (comma-separated), besides the app's own. */
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be comma-separated http(s) origins' }))),
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'is required when NODE_ENV=production (make one with: openssl rand -base64 32)' });
      return z.NEVER;
    }
    // dev sign-in lets anyone pick any demo user: production must ask for it explicitly.
    let authMode = env.AUTH_MODE;
    if (!authMode) {
      if (env.NODE_ENV === 'production') {
        ctx.addIssue({
          code: 'custom',
          path: ['AUTH_MODE'],
          message: 'is required when NODE_ENV=production (feishu, or dev to allow demo sign-in)',
        });
        return z.NEVER;
      }
      authMode = 'dev';
    }
    for (const [mode, key] of [['style', 'BASEMAP_STYLE_URL'], ['pmtiles', 'BASEMAP_PMTILES_URL']] as const) {
      if (env.BASEMAP === mode && !env[key]) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is required when BASEMAP=${mode}` });
        return z.NEVER;
      }
    }
    if (authMode === 'feishu') {
      for (const key of ['FEISHU_APP_ID', 'FEISHU_APP_SECRET'] as const) {
        if (!env[key]) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when AUTH_MODE=feishu' });
          return z.NEVER;
        }
      }
    }
    if (env.HEXWATCH_NOW && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['HEXWATCH_NOW'], message: 'is for tests only and refused when NODE_ENV=production' });
      return z.NEVER;
    }
    const logLevel = env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info');
    // the clock starts when the configuration is parsed, i.e. as the server starts
    const clock: Clock = env.HEXWATCH_NOW ? clockStartingAt(env.HEXWATCH_NOW) : systemClock;
    return { ...env, AUTH_MODE: authMode, LOG_LEVEL: logLevel, clock };
  });

export type Env = z.infer<typeof EnvSchema>;

/** Parses an environment; throws an Error whose message is one line per bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`);
    throw new Error(`Invalid configuration: ${lines.join('; ')}`);
  }
  return result.data;
}

/** Warnings worth printing at start (not errors). */
export function envWarnings(env: Env): string[] {
  const warnings: string[] = [];
  if (env.NODE_ENV === 'production' && env.AUTH_MODE === 'dev') {
    warnings.push('AUTH_MODE=dev in production: anyone can sign in as any demo user.');
  }
  if (env.AUTH_MODE === 'feishu' && !env.PUBLIC_URL) {
    warnings.push('PUBLIC_URL is unset: the browser OAuth redirect falls back to the request host, which a proxy may rewrite.');
  }
  return warnings;
}
