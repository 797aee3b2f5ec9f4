/**
 * `POST /api/admin/imports?profile=<name>&coords=wgs84|gcj02&name=<file.csv|file.csv.gz>[&strict=1][&assign=nearest]` with the
 * file as the raw body (`Content-Type: application/octet-stream`): the admin page "Import".
 * Admins only (session cookie), CSRF-safe like /trpc (server/security/csrf.ts: an HTML form
 * cannot send this content type, a cross-site fetch would need a preflight this server never
 * grants, and a foreign Origin is refused). The body is streamed to DATA_DIR/imports with the
 * IMPORT_MAX_MB limit, then importFile runs on it as a job (server/ingest/import-jobs.ts);
 * answers 202 with the job, which the page polls with `admin.imports.status` and can cancel.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import { createContext } from '../context.js';
import type { AppDeps } from '../context.js';
import { describeZodError } from '../trpc.js';
import { COORD_SYSTEMS } from '../ingest/coords.js';
import { ImportBusyError, importJobsFor } from '../ingest/import-jobs.js';
import { PROFILES } from '../ingest/profiles/index.js';
import { crossSiteRefusal } from '../security/csrf.js';

const QuerySchema = z
  .object({
    profile: z.string().min(1).max(50).refine((p) => Object.hasOwn(PROFILES, p), {
      message: `must be one of ${Object.keys(PROFILES).join(', ')}`,
    }),
    coords: z.enum(COORD_SYSTEMS).default('wgs84'),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/\.csv(\.gz)?$/i, 'must be a .csv or .csv.gz file name'),
    /** `1`: refuse the whole file when any row is rejected. */
    strict: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
    /** `nearest`: attach incidents to the nearest store covering them (`--assign nearest`). */
    assign: z.enum(['none', 'nearest']).default('none'),
  })
  .strict()
  .refine((q) => q.assign === 'none' || PROFILES[q.profile]?.target === 'incidents', {
    path: ['assign'],
    message: 'applies to incident profiles, not to stores',
  });

class TooLargeError extends Error {}

function jsonError(res: Response, status: number, message: string): void {
  res.status(status).json({ error: message });
}

export function importUploadRoutes({ env, store }: AppDeps) {
  const routes = express.Router();
  const maxBytes = Math.round(env.IMPORT_MAX_MB * 1024 * 1024);
  const folder = resolve(env.DATA_DIR, 'imports');
  void removeLeftovers(folder);

  routes.post('/', async (req, res, next) => {
    try {
      const refusal = crossSiteRefusal(env, req, 'application/octet-stream');
      if (refusal) return jsonError(res, 403, refusal);
      const context = await createContext({ env, store }, req, res);
      if (!context.user) return jsonError(res, 401, 'Sign in first.');
      if (context.user.role !== 'admin') return jsonError(res, 403, 'Needs role admin.');
      const query = QuerySchema.safeParse(req.query);
      if (!query.success) return jsonError(res, 400, describeZodError(query.error));
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > maxBytes) return tooLarge(res, env.IMPORT_MAX_MB);
      if (declared === 0) return jsonError(res, 400, 'file: is empty');
      const jobs = importJobsFor(store);
      const busy = jobs.running();
      if (busy) return jsonError(res, 409, `Another import is running (${busy.fileName}, started by ${busy.startedBy}); wait for it or cancel it.`);

      await mkdir(folder, { recursive: true, mode: 0o700 });
      const gz = /\.gz$/i.test(query.data.name);
      // the extension decides gunzip in the import (csv-source.ts); the name is never a path
      const tempFile = join(folder, `${crypto.randomUUID()}.csv${gz ? '.gz' : ''}`);
      let received = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          if (received > maxBytes) return callback(new TooLargeError());
          callback(null, chunk);
        },
      });
      try {
        await pipeline(req, limit, createWriteStream(tempFile, { mode: 0o600 }));
      } catch (error) {
        await rm(tempFile, { force: true });
        if (error instanceof TooLargeError) {
          res.setHeader('Connection', 'close');
          return tooLarge(res, env.IMPORT_MAX_MB);
        }
        if (req.destroyed || req.readableAborted) return; // the browser went away mid-upload
        throw error;
      }
      if (received === 0) {
        await rm(tempFile, { force: true });
        return jsonError(res, 400, 'file: is empty');
      }
      try {
        const { assign, ...rest } = query.data;
        const job = jobs.start({ ...rest, assign: assign === 'nearest' ? 'nearest' : null, fileName: query.data.name, tempFile, startedBy: context.user.id, now: env.clock.now() });
        res.status(202).json({ job });
      } catch (error) {
        await rm(tempFile, { force: true });
        if (error instanceof ImportBusyError) return jsonError(res, 409, `${error.message}.`);
        throw error;
      }
    } catch (error) {
      next(error);
    }
  });
  return routes;
}

/** Uploads that a killed server left behind (its jobs died with it, nothing was committed). */
async function removeLeftovers(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(folder, name);
    // a day old: never the upload of another instance sharing DATA_DIR (PostgreSQL) in progress
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > 24 * 3_600_000) await rm(path, { force: true }).catch(() => undefined);
  }
}

function tooLarge(res: Response, maxMb: number): void {
  jsonError(res, 413, `file: is larger than ${maxMb} MB (IMPORT_MAX_MB); split it or import it with npm run import.`);
}
