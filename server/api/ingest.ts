/**
 * `POST /api/v1/incidents`: the ingest API for the AI pipeline and other systems
 * (../../DESIGN.md "Ingest"). Bearer API key; `{incidents: [...]}` of up to 5,000 records;
 * a batch with any invalid record is refused whole (422, `[{index, field, message}]`) and
 * nothing of it is stored; valid batches go through the staged writer, idempotent on
 * (source, externalId). Order of checks: key (401), rate (429), size (413), shape (422).
 */
import express, { Router } from 'express';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { createStoreLocator } from '../ingest/nearest-store.js';
import { RowError } from '../ingest/fields.js';
import type { Row } from '../ingest/fields.js';
import type { IncidentRowContext } from '../ingest/profile.js';
import { hexwatchRowToIncident } from '../ingest/profiles/hexwatch.js';
import type { Env } from '../env.js';
import type { ApiKeyInfo } from '../store/security.js';
import type { IncidentInput, IncidentStore, StoreRecord } from '../store/types.js';
import { distanceM } from '../domain/geo.js';
import { bodyReadError } from '../security/http.js';
import { IngestRecordSchema, MAX_RECORDS } from './ingest-schema.js';
import type { IngestRecord } from './ingest-schema.js';
import { recordIngestCommitted, recordIngestRejected } from '../observability/metrics.js';

export interface RecordError {
  /** Position in `incidents`; null for the envelope itself. */
  index: number | null;
  /** Dotted path inside the record, e.g. `ai.confidence`. */
  field: string;
  message: string;
}

/** More errors than this help nobody read the response; the count is still given. */
const MAX_ERRORS_LISTED = 1_000;

/** Per-key token bucket: `perMinute` requests as a burst, refilled evenly. In-process. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perMinute: number) {}

  /** 0 when allowed (and counted), otherwise the seconds to wait. */
  take(key: string, now = Date.now()): number {
    const refillPerMs = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * refillPerMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / refillPerMs / 1000));
  }
}

const ROW_FIELD_TO_API: Record<string, string> = {
  external_id: 'externalId',
  occurred_at: 'occurredAt',
  store_code: 'storeCode',
  rider_id: 'riderId',
  photo_urls: 'photoUrls',
  ai_label: 'ai.label',
  ai_confidence: 'ai.confidence',
  ai_model_version: 'ai.modelVersion',
  'lat/lng': 'lat',
};

function clip(value: string): string {
  return value.length > 40 ? value.slice(0, 37) + '...' : value;
}

/** The API record as a CSV row of the hexwatch profile: one set of rules for both paths. */
function recordToRow(r: IngestRecord): Row {
  return {
    external_id: r.externalId,
    kind: r.kind,
    category: r.category,
    severity: String(r.severity),
    occurred_at: r.occurredAt,
    lat: String(r.lat),
    lng: String(r.lng),
    store_code: r.storeCode ?? '',
    city: r.city ?? '',
    rider_id: r.riderId ?? '',
    description: r.description ?? '',
    source: r.source,
    photo_urls: (r.photoUrls ?? []).join(' '),
    ai_label: r.ai?.label ?? '',
    ai_confidence: r.ai ? String(r.ai.confidence) : '',
    ai_model_version: r.ai?.modelVersion ?? '',
  };
}

/**
 * Why a record is too far from the store it names, or null. A point several delivery radii away
 * (250 km, in another city) is a wrong store code or wrong coordinates: stored, it would count
 * against that store and sit on another city's map. The point is compared in WGS-84, after a
 * GCJ-02 input was converted.
 */
function storeTooFar(store: StoreRecord | undefined, point: { lat: number; lng: number }, maxRadii: number): string | null {
  if (!store) return null; // an unknown code is the profile's error, reported already
  const distance = distanceM(point.lat, point.lng, store.lat, store.lng);
  const limit = store.radiusM * maxRadii;
  if (distance <= limit) return null;
  const km = (m: number) => (m / 1000).toFixed(1);
  return `store ${store.code} is ${km(distance)} km from lat/lng; a record may lie at most ${km(limit)} km (${maxRadii} delivery radii) from its store: check storeCode and the coordinates (and coords)`;
}

function jsonError(res: Response, status: number, message: string, extra: Record<string, unknown> = {}) {
  res.status(status).json({ error: message, ...extra });
}

/**
 * Validates a parsed body. Returns the incidents to write, or the errors of every bad record.
 * Exported for tests of the rules without HTTP.
 */
export async function validateBatch(
  store: IncidentStore,
  body: unknown,
  opts: {
    now: Date;
    actor: string;
    /** INGEST_MAX_STORE_RADII: how many delivery radii a record may lie from the store it names. */
    maxStoreRadii: number;
  },
): Promise<{ ok: true; incidents: IncidentInput[] } | { ok: false; status: 413 | 422; message: string; errors: RecordError[] }> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, status: 422, message: 'The body must be a JSON object {"incidents": [...]}.', errors: [{ index: null, field: 'incidents', message: 'is missing' }] };
  }
  const keys = Object.keys(body);
  const extra = keys.filter((k) => k !== 'incidents');
  const list = (body as { incidents?: unknown }).incidents;
  if (!Array.isArray(list) || extra.length) {
    const errors: RecordError[] = [];
    if (!Array.isArray(list)) errors.push({ index: null, field: 'incidents', message: 'must be an array of records' });
    for (const k of extra.slice(0, 10)) errors.push({ index: null, field: clip(k), message: 'is not a known field (only "incidents")' });
    return { ok: false, status: 422, message: 'The body must be a JSON object {"incidents": [...]}.', errors };
  }
  if (list.length > MAX_RECORDS) {
    return { ok: false, status: 413, message: `At most ${MAX_RECORDS} incidents per request (got ${list.length}); split the batch.`, errors: [{ index: null, field: 'incidents', message: `must hold at most ${MAX_RECORDS} records` }] };
  }
  if (list.length === 0) {
    return { ok: false, status: 422, message: 'No incidents in the batch.', errors: [{ index: null, field: 'incidents', message: 'must hold at least 1 record' }] };
  }

  const [cities, stores, archived, settings] = await Promise.all([
    store.listCities(),
    store.listStores({ all: true }),
    store.security.archivedStoreIds(),
    store.security.settings(),
  ]);
  const live = stores.filter((s) => !archived.includes(s.id));
  const base: Omit<IncidentRowContext, 'coords'> = {
    assignNearest: true,
    citiesByKey: new Map(cities.map((c) => [c.key, c])),
    storesByCode: new Map(live.map((s) => [s.code, s])),
    locator: createStoreLocator(live),
    now: opts.now,
    slaHours: settings.slaHours,
  };

  const errors: RecordError[] = [];
  let invalid = 0;
  const incidents: IncidentInput[] = [];
  list.forEach((raw, index) => {
    const parsed = IngestRecordSchema.safeParse(raw);
    if (!parsed.success) {
      invalid++;
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => clip(k)) : [];
        const path = issue.path.map(String).join('.');
        const field = keys.length ? [path, keys.join(',')].filter(Boolean).join('.') : path || 'record';
        errors.push({ index, field, message: keys.length ? 'is not a known field' : issue.message });
      }
      return;
    }
    const record = parsed.data;
    try {
      const incident = hexwatchRowToIncident(recordToRow(record), { ...base, coords: record.coords ?? 'wgs84' });
      const far = record.storeCode ? storeTooFar(base.storesByCode.get(record.storeCode.trim()), incident, opts.maxStoreRadii) : null;
      if (far) {
        invalid++;
        errors.push({ index, field: 'storeCode', message: far });
        return;
      }
      // The API is not an import: the timeline names the key that sent it.
      incident.events = [{ at: incident.occurredAt, actor: opts.actor, fromStatus: null, toStatus: 'open', note: 'received through the ingest API' }];
      incidents.push(incident);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      invalid++;
      const field = ROW_FIELD_TO_API[error.field] ?? error.field;
      errors.push({ index, field, message: error.value === undefined ? error.problem : `${error.problem} (got "${clip(error.value)}")` });
    }
  });
  if (invalid) {
    return {
      ok: false,
      status: 422,
      message: `${invalid} of ${list.length} records are invalid; nothing was stored.`,
      errors: errors.slice(0, MAX_ERRORS_LISTED),
    };
  }
  return { ok: true, incidents };
}

export interface IngestDeps {
  env: Env;
  store: IncidentStore;
}

export function ingestApi({ env, store }: IngestDeps): Router {
  const router = Router();
  const limiter = new RateLimiter(env.INGEST_RATE_PER_MINUTE);
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const match = /^Bearer\s+(\S{1,300})\s*$/i.exec(req.headers.authorization ?? '');
      const key = match ? await store.security.verifyApiKey(match[1]!) : null;
      if (!key) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="hexwatch-ingest"');
        return jsonError(res, 401, 'A valid API key is required: Authorization: Bearer <key> (admins create keys).');
      }
      res.locals.apiKey = key;
      const waitS = limiter.take(key.id);
      if (waitS > 0) {
        res.setHeader('Retry-After', String(waitS));
        return jsonError(res, 429, `Rate limit of ${env.INGEST_RATE_PER_MINUTE} requests per minute for this key: retry in ${waitS} s.`);
      }
      next();
    } catch (error) {
      next(error);
    }
  };

  const requireJson = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('application/json')) return jsonError(res, 415, 'Content-Type must be application/json.');
    next();
  };

  router.post(
    '/incidents',
    authenticate,
    requireJson,
    express.json({ limit: Math.round(env.INGEST_MAX_BODY_MB * 1024 * 1024), strict: true }),
    async (req, res, next) => {
      try {
        const key = res.locals.apiKey as ApiKeyInfo;
        const result = await validateBatch(store, req.body, { now: env.clock.now(), actor: `api:${key.name}`, maxStoreRadii: env.INGEST_MAX_STORE_RADII });
        if (!result.ok) {
          recordIngestRejected('api', Array.isArray(req.body?.incidents) ? req.body.incidents.length : 0);
          return jsonError(res, result.status, result.message, { errors: result.errors });
        }
        // durable when it resolves (DuckDB: group commit and the fsynced ingest journal)
        const summary = await store.ingest(result.incidents);
        recordIngestCommitted('api', summary);
        res.json({ received: result.incidents.length, inserted: summary.inserted, duplicates: summary.duplicates });
      } catch (error) {
        next(error);
      }
    },
  );

  // Everything a client can cause (a body too large, not JSON, not the gzip it claims to be) is
  // answered as its fault.
  const bodyErrors: ErrorRequestHandler = (error, req, res, next) => {
    const bad = bodyReadError(error, req, env.INGEST_MAX_BODY_MB);
    if (bad && !res.headersSent) return jsonError(res, bad.status, bad.message);
    if (res.headersSent) return next(error);
    console.error('ingest failed:', error);
    jsonError(res, 500, 'Ingest failed on the server; nothing of the batch was stored. Retry later.');
  };
  router.use(bodyErrors);

  return router;
}
