/**
 * `POST /api/v1/exposure`: deliveries per store and day (optionally per H3 cell) for the risk
 * per delivery (issue 16). The same rules as `POST /api/v1/incidents`: Bearer API key (401), rate
 * per key (429), at most MAX_RECORDS records (413), and a batch with any invalid record is refused
 * whole (422, `[{index, field, message}]`) with nothing stored. Records are checked by the
 * `deliveries` import profile's row rules, so the API and the CSV import agree. Re-sending a
 * (store, date, cell) replaces its deliveries.
 */
import express, { Router } from 'express';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Env } from '../env.js';
import { RowError } from '../ingest/fields.js';
import { deliveriesRowToExposure, exposureKey, MAX_DELIVERIES_PER_DAY } from '../ingest/profiles/deliveries.js';
import type { ExposureInput } from '../ingest/profiles/deliveries.js';
import type { IncidentStore } from '../store/types.js';
import type { RecordError } from './ingest.js';
import { RateLimiter } from './ingest.js';
import { MAX_RECORDS } from './ingest-schema.js';

export const ExposureRecordSchema = z
  .object({
    storeCode: z.string().trim().min(1, 'is empty').max(100),
    date: z.string().max(10).describe('YYYY-MM-DD in the store\'s city time; not in the future.'),
    deliveries: z.number().int().min(0).max(MAX_DELIVERIES_PER_DAY),
    cell: z.string().max(16).nullish().describe('H3 cell (resolution 5..11); absent for the whole store.'),
  })
  .strict();

const ROW_FIELD_TO_API: Record<string, string> = { store_code: 'storeCode' };

/** Validates a parsed body: the rows to write, or every bad record's errors. Exported for tests without HTTP. */
export async function validateExposureBatch(
  store: IncidentStore,
  body: unknown,
  now: Date,
): Promise<{ ok: true; rows: ExposureInput[] } | { ok: false; status: 413 | 422; message: string; errors: RecordError[] }> {
  const envelope = 'The body must be a JSON object {"exposure": [...]}.';
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, status: 422, message: envelope, errors: [{ index: null, field: 'exposure', message: 'is missing' }] };
  }
  const list = (body as { exposure?: unknown }).exposure;
  const extra = Object.keys(body).filter((k) => k !== 'exposure');
  if (!Array.isArray(list) || extra.length) {
    const errors: RecordError[] = [];
    if (!Array.isArray(list)) errors.push({ index: null, field: 'exposure', message: 'must be an array of records' });
    for (const k of extra.slice(0, 10)) errors.push({ index: null, field: k.slice(0, 40), message: 'is not a known field (only "exposure")' });
    return { ok: false, status: 422, message: envelope, errors };
  }
  if (list.length > MAX_RECORDS) {
    return { ok: false, status: 413, message: `At most ${MAX_RECORDS} records per request (got ${list.length}); split the batch.`, errors: [{ index: null, field: 'exposure', message: `must hold at most ${MAX_RECORDS} records` }] };
  }
  if (!list.length) return { ok: false, status: 422, message: 'No records in the batch.', errors: [{ index: null, field: 'exposure', message: 'must hold at least 1 record' }] };

  const stores = await store.listStores({ all: true });
  const ctx = { storesByCode: new Map(stores.map((s) => [s.code, s])), now };
  const errors: RecordError[] = [];
  const invalid = new Set<number>();
  const rows: ExposureInput[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, index) => {
    const parsed = ExposureRecordSchema.safeParse(raw);
    if (!parsed.success) {
      invalid.add(index);
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => k.slice(0, 40)) : [];
        errors.push({ index, field: keys.length ? keys.join(',') : issue.path.map(String).join('.') || 'record', message: keys.length ? 'is not a known field' : issue.message });
      }
      return;
    }
    const r = parsed.data;
    try {
      const row = deliveriesRowToExposure({ store_code: r.storeCode, date: r.date, deliveries: String(r.deliveries), cell: r.cell ?? '' }, ctx);
      const first = seen.get(exposureKey(row));
      if (first !== undefined) {
        invalid.add(index);
        errors.push({ index, field: 'date', message: `repeats record ${first} (same store, date and cell)` });
        return;
      }
      seen.set(exposureKey(row), index);
      rows.push(row);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      invalid.add(index);
      errors.push({ index, field: ROW_FIELD_TO_API[error.field] ?? error.field, message: error.value === undefined ? error.problem : `${error.problem} (got "${error.value.slice(0, 40)}")` });
    }
  });
  if (invalid.size) {
    return { ok: false, status: 422, message: `${invalid.size} of ${list.length} records are invalid; nothing was stored.`, errors: errors.slice(0, 1000) };
  }
  return { ok: true, rows };
}

export function exposureApi({ env, store }: { env: Env; store: IncidentStore }): Router {
  const router = Router();
  // the incidents endpoint's limit, counted apart from it (the lead may merge the two buckets)
  const limiter = new RateLimiter(env.INGEST_RATE_PER_MINUTE);
  const fail = (res: Response, status: number, message: string, extra: Record<string, unknown> = {}) => res.status(status).json({ error: message, ...extra });

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const match = /^Bearer\s+(\S{1,300})\s*$/i.exec(req.headers.authorization ?? '');
      const key = match ? await store.security.verifyApiKey(match[1]!) : null;
      if (!key) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="hexwatch-ingest"');
        return fail(res, 401, 'A valid API key is required: Authorization: Bearer <key> (admins create keys).');
      }
      const waitS = limiter.take(key.id);
      if (waitS > 0) {
        res.setHeader('Retry-After', String(waitS));
        return fail(res, 429, `Rate limit of ${env.INGEST_RATE_PER_MINUTE} requests per minute for this key: retry in ${waitS} s.`);
      }
      next();
    } catch (error) {
      next(error);
    }
  };

  router.post(
    '/exposure',
    authenticate,
    (req, res, next) => (req.is('application/json') ? next() : fail(res, 415, 'Content-Type must be application/json.')),
    express.json({ limit: Math.round(env.INGEST_MAX_BODY_MB * 1024 * 1024), strict: true }),
    async (req, res, next) => {
      try {
        const result = await validateExposureBatch(store, req.body, env.clock.now());
        if (!result.ok) return fail(res, result.status, result.message, { errors: result.errors });
        const written = await store.exposure.write(result.rows, env.clock.now());
        res.json({ received: result.rows.length, written });
      } catch (error) {
        next(error);
      }
    },
  );

  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') return fail(res, 413, `The body is larger than ${env.INGEST_MAX_BODY_MB} MB; split the batch.`);
    if (type === 'entity.parse.failed') return fail(res, 400, 'The body is not valid JSON.');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return fail(res, 415, 'Send the body as UTF-8 JSON.');
    if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') return fail(res, 400, 'The body could not be read.');
    if (res.headersSent) return next(error);
    console.error('exposure ingest failed:', error);
    fail(res, 500, 'Exposure ingest failed on the server; nothing of the batch was stored. Retry later.');
  };
  router.use(bodyErrors);
  return router;
}
