/**
 * Exports of the current filter for safety analysts, with the app's session cookie and
 * store scoping:
 * - `GET /incidents.csv?filters=<json>`: every matching incident as CSV, streamed page by page
 *   through the store's keyset cursor (never the whole result in memory), UTF-8 with a BOM.
 * - `GET /hexbins.geojson?resolution=<r>&filters=<json>`: the hexbins as a GeoJSON
 *   FeatureCollection of Polygons with their statistics.
 * Bad query parameters are 400 with `{error, issues: [{path, message}]}` naming the field.
 */
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { cellToBoundary } from 'h3-js';
import type { ZodError } from 'zod';
import { createContext } from '../context.js';
import type { Env } from '../env.js';
import { cellShareClosed } from '../domain/closure.js';
import { FiltersSchema, ResolutionSchema } from '../domain/filters.js';
import type { Filters } from '../domain/filters.js';
import { neutraliseControls } from '../domain/text.js';
import { scopeForUser } from '../store/scope.js';
import type { IncidentListItem, IncidentStore, Scope } from '../store/types.js';

/**
 * Rows per store round trip: each page costs a count and a sort (~50 ms on DuckDB), so not too
 * few; two pages are held in memory at once, so not too many.
 */
const PAGE_ROWS = 5_000;

/** Excel reads a CSV as the local ANSI code page unless it starts with this; with it, Chinese shows. */
const UTF8_BOM = '\uFEFF';

export const INCIDENT_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'occurred_local',
  'kind',
  'category',
  'severity',
  'status',
  'review',
  'ai_confidence',
  'city',
  'store_code',
  'lat',
  'lng',
  'cell',
  'assignee',
  'due_at',
  'overdue',
  'description',
] as const;

/** A bad query parameter: answered 400 with the issues, never 500. */
class ExportInputError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

/**
 * The `path: message` form of describeZodError (server/trpc.ts), but rooted at the query parameter:
 * there a root issue (an unknown key) says `input`, here it must say `filters`.
 */
function zodToInput(error: ZodError, param: string): ExportInputError {
  return new ExportInputError(error.issues.map((i) => ({ path: [param, ...i.path.map(String)].join('.'), message: i.message })));
}

const FILTERS_PARAM = 'filters';

/** Query parameters are strings; anything repeated or unknown is the caller's mistake, said by name. */
function readQuery(req: Request, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: Array<{ path: string; message: string }> = [];
  for (const [key, value] of Object.entries(req.query)) {
    if (!allowed.includes(key)) issues.push({ path: key, message: `unknown parameter (allowed: ${allowed.join(', ')})` });
    else if (typeof value !== 'string') issues.push({ path: key, message: 'must be given once, as a string' });
    else out[key] = value;
  }
  if (issues.length) throw new ExportInputError(issues);
  return out;
}

function parseFilters(raw: string | undefined): Filters {
  if (raw === undefined || raw === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ExportInputError([{ path: FILTERS_PARAM, message: 'is not JSON (expected an object such as {"cityIds":[1]})' }]);
  }
  const parsed = FiltersSchema.safeParse(json);
  if (!parsed.success) throw zodToInput(parsed.error, FILTERS_PARAM);
  return parsed.data;
}

function parseResolution(raw: string | undefined): number {
  if (raw === undefined) throw new ExportInputError([{ path: 'resolution', message: 'is required (5..11)' }]);
  // Number('') is 0 and Number('8.0') is 8: only plain digits count as a resolution.
  const parsed = ResolutionSchema.safeParse(/^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN);
  if (!parsed.success) throw new ExportInputError([{ path: 'resolution', message: `must be an integer 5..11 (got "${raw.slice(0, 20)}")` }]);
  return parsed.data;
}

/** The signed-in user's scope, or null after answering 401. Same cookie and rules as tRPC. */
async function scopeOf(deps: { env: Env; store: IncidentStore }, req: Request, res: Response): Promise<Scope | null> {
  const context = await createContext(deps, req, res);
  if (!context.user) {
    res.status(401).json({ error: 'Sign in first.' });
    return null;
  }
  return scopeForUser(context.user);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, or edge spaces
 * that a spreadsheet would trim.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value); // numbers and booleans never need quotes
  const text = value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Free text (descriptions from riders, imports and the AI pipeline) that starts with = + - @ would
 * run as a formula when the analyst opens the file in Excel (CSV injection, OWASP); a leading
 * apostrophe makes it text. Only applied to text columns, so that negative numbers stay numbers.
 * Control characters other than tab and line breaks (NUL, escape sequences) stored before they
 * were refused become U+FFFD.
 */
export function csvText(value: string | null): string {
  if (value === null) return '';
  const text = neutraliseControls(value);
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DD HH:MM` in a time zone: the wall-clock time Excel reads as a date. Intl per row costs
 * ~12 µs (a second for the Hong Kong file), so the zone's offset is looked up once per UTC day and
 * reused when the day's start and end agree; a day with a DST change asks Intl per row.
 */
export function localTimeFormatter(tz: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  /** Local minus UTC in ms at an instant on a whole minute. */
  const offsetAt = (ms: number): number => {
    const p = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, Number(part.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute) - ms;
  };
  const offsetByDay = new Map<number, number | null>();
  return (at) => {
    const ms = Math.floor(at.getTime() / 60_000) * 60_000;
    const day = Math.floor(ms / DAY_MS);
    let offset = offsetByDay.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * DAY_MS);
      offset = start === offsetAt((day + 1) * DAY_MS - 60_000) ? start : null;
      offsetByDay.set(day, offset);
    }
    const local = new Date(ms + (offset ?? offsetAt(ms))).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
  };
}

/**
 * A writer that waits while the response's buffer is full, so a slow download slows the paging,
 * not memory. One drain listener per response, not one per wait: compression() moves 'drain'
 * listeners onto its gzip stream, where once()'s own clean-up (on the response) never finds them.
 */
function backpressuredWriter(res: Response): (chunk: string) => Promise<void> {
  let wake: (() => void) | null = null;
  const resume = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  res.on('drain', resume);
  res.on('close', resume); // an abandoned download must not leave the handler waiting
  return async (chunk) => {
    if (res.write(chunk) || res.destroyed) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
}

/** Today's UTC date for the file name, e.g. `hexwatch-incidents-2025-01-31.csv`. */
/** A fraction to 4 decimals (a GeoJSON property a person reads), null kept. */
function roundTo4(fraction: number | null): number | null {
  return fraction === null ? null : Math.round(fraction * 10_000) / 10_000;
}

function fileName(what: string, ext: string, now: Date): string {
  return `hexwatch-${what}-${now.toISOString().slice(0, 10)}.${ext}`;
}

/** One H3 cell as a closed GeoJSON ring, `[lng, lat]` order (h3-js gives that with formatAsGeoJson). */
export function cellToGeoJsonRing(cell: string): Array<[lng: number, lat: number]> {
  return cellToBoundary(cell, true);
}

function answerError(error: unknown, res: Response, next: NextFunction): void {
  if (error instanceof ExportInputError) {
    res.status(400).json({ error: error.message, issues: error.issues });
    return;
  }
  if (res.headersSent) {
    // Mid-stream the status line is gone: cutting the connection is the only way to say the file is incomplete.
    console.error('export failed mid-stream:', error);
    res.destroy();
    return;
  }
  next(error);
}

export function exportRouter(deps: { env: Env; store: IncidentStore }): Router {
  const { store } = deps;
  const router = Router();

  router.get('/incidents.csv', async (req, res, next) => {
    try {
      const scope = await scopeOf(deps, req, res);
      if (!scope) return;
      const filters = parseFilters(readQuery(req, [FILTERS_PARAM])[FILTERS_PARAM]);
      // One "now" for the whole file: overdue and paging must not shift between pages.
      const now = deps.env.clock.now();
      const [cities, stores] = await Promise.all([store.listCities(), store.listStores(scope)]);
      const cityById = new Map(cities.map((c) => [c.id, { name: c.name, local: localTimeFormatter(c.tz) }]));
      const storeCodeById = new Map(stores.map((s) => [s.id, s.code]));

      // The first page is read before the headers go out, so a failing query is still a clean 500.
      let page = await store.listIncidents({ filters, sort: 'newest', limit: PAGE_ROWS, now, fullDescription: true }, scope);
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName('incidents', 'csv', now)}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Total-Count', String(page.total));

      const row = (i: IncidentListItem): string => {
        const city = cityById.get(i.cityId);
        return [
          csvField(i.id),
          csvField(i.occurredAt.toISOString()),
          csvField(city ? city.local(i.occurredAt) : null),
          csvField(i.kind),
          csvField(i.category),
          csvField(i.severity),
          csvField(i.status),
          csvField(i.review),
          csvField(i.aiConfidence),
          csvText(city?.name ?? null),
          csvText(i.storeId === null ? null : (storeCodeById.get(i.storeId) ?? null)),
          csvField(i.lat),
          csvField(i.lng),
          csvField(i.cell),
          csvText(i.assignee),
          csvField(i.dueAt ? i.dueAt.toISOString() : null),
          csvField(i.overdue),
          csvText(i.description),
        ].join(',');
      };

      const writeChunk = backpressuredWriter(res);
      // CRLF line ends: RFC 4180, and what Excel writes itself.
      await writeChunk(UTF8_BOM + INCIDENT_CSV_COLUMNS.join(',') + '\r\n');
      for (;;) {
        // The next page is queried while this one is formatted and sent (at most two pages held).
        const next = page.nextCursor
          ? store.listIncidents({ filters, sort: 'newest', limit: PAGE_ROWS, cursor: page.nextCursor, now, fullDescription: true }, scope)
          : null;
        next?.catch(() => undefined); // awaited below; this only keeps an early exit from an unhandled rejection
        if (page.items.length) await writeChunk(page.items.map(row).join('\r\n') + '\r\n');
        if (!next || res.destroyed) break; // destroyed: the download was abandoned, stop querying
        page = await next;
      }
      res.end();
    } catch (error) {
      answerError(error, res, next);
    }
  });

  router.get('/hexbins.geojson', async (req, res, next) => {
    try {
      const scope = await scopeOf(deps, req, res);
      if (!scope) return;
      const query = readQuery(req, ['resolution', FILTERS_PARAM]);
      const resolution = parseResolution(query.resolution);
      const filters = parseFilters(query[FILTERS_PARAM]);
      const now = deps.env.clock.now();
      const bins = await store.hexbins({ resolution, filters, now }, scope);

      res.status(200);
      res.setHeader('Content-Type', 'application/geo+json; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName(`hexbins-r${resolution}`, 'geojson', now)}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      // Feature by feature: a city at resolution 11 is tens of thousands of polygons; no giant string.
      const writeChunk = backpressuredWriter(res);
      await writeChunk('{"type":"FeatureCollection","features":[');
      for (let k = 0; k < bins.cells.length && !res.destroyed; k++) {
        const count = bins.count[k]!;
        const feature = {
          type: 'Feature',
          id: bins.cells[k],
          geometry: { type: 'Polygon', coordinates: [cellToGeoJsonRing(bins.cells[k]!)] },
          properties: {
            cell: bins.cells[k],
            resolution,
            count,
            weighted: bins.weighted[k],
            open: bins.open[k],
            closed: bins.closed[k],
            overdue: bins.overdue[k],
            // the cell's share closed (the map's metric, pending AI detections counted), not the
            // monthly closure rate KPI: the name says which (../domain/closure.ts)
            share_closed: roundTo4(cellShareClosed(bins.closed[k]!, count)),
          },
        };
        await writeChunk((k ? ',' : '') + JSON.stringify(feature));
      }
      res.end(']}');
    } catch (error) {
      answerError(error, res, next);
    }
  });

  return router;
}
