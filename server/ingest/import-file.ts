/**
 * Imports one CSV file through a profile (docs/import.md). Incident profiles stream the file
 * into the store's IncidentWriter in batches, so a file of any size passes through bounded
 * memory and lands whole or not at all: a refused header stores nothing, a stream error (truncated
 * gzip, CSV syntax) rolls back, and single bad rows are reported and skipped.
 */
import { access, stat } from 'node:fs/promises';
import type { City, CityInput, IncidentInput, IncidentStore, StoreInput, StoreRecord } from '../store/types.js';
import type { CoordSystem } from './coords.js';
import { describeStreamError, openCsvSource } from './csv-source.js';
import { RowError } from './fields.js';
import type { Row } from './fields.js';
import { createStoreLocator } from './nearest-store.js';
import { checkHeader, HeaderError } from './profile.js';
import type { ExposureProfile, IncidentProfile, IncidentRowContext, Profile, StoreRow, StoresProfile } from './profile.js';
import type { ExposureInput } from './profiles/deliveries.js';
import { exposureKey } from './profiles/deliveries.js';
import { profileByName, PROFILES } from './profiles/index.js';
import { recordIngestCommitted } from '../observability/metrics.js';

export interface ImportOptions {
  /** A profile name (`hexwatch`, `stores`, `hk-td`) or a profile object. */
  profile: string | Profile;
  file: string;
  /** Coordinate system of the file; default wgs84. */
  coords?: CoordSystem;
  /** `nearest`: attach incidents to the nearest store covering them (incident profiles only). */
  assign?: 'nearest' | null;
  /** Progress and warnings, one line each. */
  log?: (line: string) => void;
  /** Rows per writer.write(); default 5,000. */
  batchSize?: number;
  /** Milliseconds between progress lines; default 1,000. */
  progressIntervalMs?: number;
  /** "Now" for the future-time check; default the real now. */
  now?: Date;
  /** Stops the import at the next batch and rolls it back (`aborted`: nothing stored). */
  signal?: AbortSignal;
  /**
   * Incident profiles: called after each batch and once at the end of reading, with rows read so far
   * and bytes of the file read of its size (compressed bytes for .gz), for a progress bar.
   */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Refuse the whole file when any row is rejected (ImportError `refused` with the rejections;
   * nothing stored) instead of importing the good rows and reporting the bad ones.
   */
  strict?: boolean;
}

export interface ImportProgress {
  rowsRead: number;
  bytesRead: number;
  /** The file's size in bytes. */
  totalBytes: number;
}

export interface Rejection {
  /** 1-based data row number: the header is not counted, so data row N is file line N+1 when no field spans lines. */
  row: number;
  /** The field at fault, e.g. `latitude` (or `row` for a wrong field count). */
  field: string;
  /** `<field>: <problem> (got "<value>")`. */
  reason: string;
}

export interface ImportReport {
  profile: string;
  file: string;
  /** Data rows read (the header not counted). */
  rowsRead: number;
  /** Incidents added, or for the stores profile stores created or updated. */
  imported: number;
  /** Rows already stored (same source and external_id) or repeated within the file. */
  duplicates: number;
  /** The first MAX_REJECTIONS_KEPT rejected rows, in file order. */
  rejected: Rejection[];
  /** All rejected rows (rejected.length unless the cap was reached). */
  rejectedCount: number;
  /** Rejected rows by field and problem, e.g. `latitude: is outside -90..90`. */
  rejectedByReason: Record<string, number>;
  /** stores profile: cities created or updated. */
  cities?: number;
  seconds: number;
}

/** Beyond this many, rejections are only counted (a wrong file of millions of rows stays small). */
export const MAX_REJECTIONS_KEPT = 100_000;
/** The stores profile validates its whole file before writing; stores files are small. */
export const MAX_STORE_ROWS = 100_000;
export const DEFAULT_BATCH_SIZE = 5_000;

/**
 * `refused`: the file does not fit (missing file, wrong header, bad option), nothing read.
 * `aborted`: reading failed part-way (truncated gzip, CSV syntax); everything was rolled back.
 */
export class ImportError extends Error {
  constructor(
    readonly code: 'refused' | 'aborted',
    message: string,
    /** `strict` imports: the rejected rows that refused the file (the first MAX_REJECTIONS_KEPT). */
    readonly rejected?: { rows: Rejection[]; count: number; byReason: Record<string, number> },
  ) {
    super(message);
  }
}

function strictRefusal(file: string, rowsRead: number, rejections: Rejections): ImportError {
  const shown = rejections.kept.slice(0, 10).map((r) => `row ${r.row}: ${r.reason}`);
  const more = rejections.count > shown.length ? `; and ${rejections.count - shown.length} more` : '';
  return new ImportError(
    'refused',
    `${file}: ${rejections.count} of ${rowsRead} rows rejected (${shown.join('; ')}${more}); nothing was imported`,
    { rows: rejections.kept, count: rejections.count, byReason: rejections.byReason },
  );
}

class Rejections {
  readonly kept: Rejection[] = [];
  count = 0;
  readonly byReason: Record<string, number> = {};

  add(row: number, field: string, key: string, reason: string): void {
    this.count++;
    this.byReason[key] = (this.byReason[key] ?? 0) + 1;
    if (this.kept.length < MAX_REJECTIONS_KEPT) this.kept.push({ row, field, reason });
  }

  addError(row: number, error: RowError): void {
    this.add(row, error.field, error.key, error.message);
  }
}

/** Reports progress at most once per interval; checks the clock only every 1,024 rows. */
class Progress {
  private last: number;
  /** Whether any progress line was printed (the file was long). */
  reported = false;
  constructor(
    private readonly started: number,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {
    this.last = started;
  }
  tick(rows: number): void {
    if ((rows & 1023) !== 0) return;
    const now = performance.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.reported = true;
    const rate = rows / ((now - this.started) / 1000);
    this.log(`  ${rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s`);
  }
}

/** Opens the file and reads its header; the caller owns `records` afterwards. */
interface OpenedFile {
  records: AsyncIterator<string[]>;
  names: string[];
  close: () => void;
  /** Bytes read so far and the file's size. */
  bytes: () => { bytesRead: number; totalBytes: number };
}

async function openWithHeader(profile: Profile, file: string): Promise<OpenedFile> {
  let totalBytes: number;
  try {
    await access(file);
    totalBytes = (await stat(file)).size;
  } catch {
    throw new ImportError('refused', `cannot read ${file}: no such file or not readable`);
  }
  const { parser, bytesRead } = openCsvSource(file);
  const bytes = () => ({ bytesRead: bytesRead(), totalBytes });
  const records: AsyncIterator<string[]> = parser[Symbol.asyncIterator]();
  const close = (): void => void parser.destroy();
  let first: IteratorResult<string[]>;
  try {
    first = await records.next();
  } catch (error) {
    close();
    throw new ImportError('refused', `${file}: ${describeStreamError(error)}; nothing was imported`);
  }
  if (first.done) throw new ImportError('refused', `${file} is empty: expected a header row for the ${profile.name} profile`);
  try {
    return { records, names: checkHeader(profile, first.value), close, bytes };
  } catch (error) {
    close();
    if (error instanceof HeaderError) throw new ImportError('refused', `${file}: ${error.message}; nothing was imported`);
    throw error;
  }
}

function toRow(names: readonly string[], record: readonly string[]): Row {
  const row: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = record[i] ?? '';
  return row;
}

function fieldCountError(names: readonly string[], record: readonly string[]): RowError | null {
  if (record.length === names.length) return null;
  return new RowError('row', `has ${record.length < names.length ? 'fewer' : 'more'} fields than the header`, `${record.length} of ${names.length}`);
}

async function buildContext(store: IncidentStore, profile: IncidentProfile, options: ImportOptions): Promise<IncidentRowContext> {
  let cities = await store.listCities();
  const missing = (profile.ensureCities ?? []).filter((c) => !cities.some((x) => x.key === c.key));
  for (const city of missing) {
    await store.upsertCity(city);
    options.log?.(`created city ${city.key}`);
  }
  if (missing.length) cities = await store.listCities();
  const stores = await store.listStores({ all: true });
  const { slaHours } = await store.security.settings();
  return {
    coords: options.coords ?? 'wgs84',
    assignNearest: options.assign === 'nearest',
    citiesByKey: new Map(cities.map((c) => [c.key, c])),
    storesByCode: new Map(stores.map((s) => [s.code, s])),
    locator: createStoreLocator(stores),
    now: options.now ?? new Date(),
    slaHours,
  };
}

async function importIncidents(store: IncidentStore, profile: IncidentProfile, options: ImportOptions, started: number): Promise<ImportReport> {
  const { records, names, close, bytes } = await openWithHeader(profile, options.file);
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let ctx: IncidentRowContext;
  try {
    ctx = await buildContext(store, profile, options);
  } catch (error) {
    close();
    throw error;
  }
  const writer = await store.openIncidentWriter();
  const rejections = new Rejections();
  const progress = new Progress(started, options.progressIntervalMs ?? 1000, log);
  let rowsRead = 0;
  let batch: IncidentInput[] = [];
  try {
    for (;;) {
      let next: IteratorResult<string[]>;
      try {
        next = await records.next();
      } catch (error) {
        throw new ImportError('aborted', `${options.file}: ${describeStreamError(error)} after data row ${rowsRead}`);
      }
      if (next.done) break;
      const rowNumber = ++rowsRead;
      const countError = fieldCountError(names, next.value);
      if (countError) {
        rejections.addError(rowNumber, countError);
      } else {
        try {
          batch.push(profile.toIncident(toRow(names, next.value), ctx));
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          rejections.addError(rowNumber, error);
        }
      }
      if (batch.length >= batchSize) {
        if (options.signal?.aborted) throw new ImportError('aborted', `${options.file}: cancelled after data row ${rowsRead}`);
        await writer.write(batch);
        batch = [];
        options.onProgress?.({ rowsRead, ...bytes() });
      }
      progress.tick(rowsRead);
    }
    if (options.signal?.aborted) throw new ImportError('aborted', `${options.file}: cancelled after data row ${rowsRead}`);
    if (options.strict && rejections.count) throw strictRefusal(options.file, rowsRead, rejections);
    if (batch.length) await writer.write(batch);
    options.onProgress?.({ rowsRead, ...bytes() });
    // On long files the commit (dedupe and move of every staged row) takes a while of its own.
    if (progress.reported) log(`  ${rowsRead.toLocaleString('en-US')} rows read; committing`);
    const summary = await writer.commit();
    recordIngestCommitted('import', summary);
    return {
      profile: profile.name,
      file: options.file,
      rowsRead,
      imported: summary.inserted,
      duplicates: summary.duplicates,
      rejected: rejections.kept,
      rejectedCount: rejections.count,
      rejectedByReason: rejections.byReason,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    close();
    await writer.rollback().catch(() => {});
    if (error instanceof ImportError) {
      throw new ImportError(error.code, error.rejected ? error.message : `${error.message}; nothing was imported (rolled back)`, error.rejected);
    }
    throw error;
  }
}

/** Merges the rows of one city; later rows must agree with the first on name and zone. */
interface CityAcc {
  firstRow: number;
  city: StoreRow['city'];
  stores: number;
  latSum: number;
  lngSum: number;
}

async function importStores(store: IncidentStore, profile: StoresProfile, options: ImportOptions, started: number): Promise<ImportReport> {
  const { records, names, close } = await openWithHeader(profile, options.file);
  const coords = options.coords ?? 'wgs84';
  const rejections = new Rejections();
  const cities = new Map<string, CityAcc>();
  const stores = new Map<string, { cityKey: string; store: NonNullable<StoreRow['store']> }>();
  let rowsRead = 0;
  let duplicates = 0;
  // Read and check the whole (small) file first: cities and stores have no staged writer, and an
  // error anywhere must leave them as they were.
  try {
    for (;;) {
      let next: IteratorResult<string[]>;
      try {
        next = await records.next();
      } catch (error) {
        throw new ImportError('aborted', `${options.file}: ${describeStreamError(error)} after data row ${rowsRead}; nothing was imported`);
      }
      if (next.done) break;
      const rowNumber = ++rowsRead;
      if (rowsRead > MAX_STORE_ROWS) throw new ImportError('refused', `${options.file}: more than ${MAX_STORE_ROWS} rows; is this a stores file?`);
      try {
        const countError = fieldCountError(names, next.value);
        if (countError) throw countError;
        const parsed = profile.toStoreRow(toRow(names, next.value), coords);
        const acc = cities.get(parsed.city.key);
        if (acc) {
          for (const [field, a, b] of [
            ['city_name', acc.city.name, parsed.city.name],
            ['tz', acc.city.tz, parsed.city.tz],
          ] as const) {
            if (a !== b) throw new RowError(field, `differs from "${a}" given for city ${parsed.city.key} in row ${acc.firstRow}`, b);
          }
          acc.city.nameZh ??= parsed.city.nameZh;
          acc.city.center ??= parsed.city.center;
        } else {
          cities.set(parsed.city.key, { firstRow: rowNumber, city: { ...parsed.city }, stores: 0, latSum: 0, lngSum: 0 });
        }
        if (parsed.store) {
          if (stores.has(parsed.store.code)) {
            duplicates++;
            continue;
          }
          const c = cities.get(parsed.city.key)!;
          c.stores++;
          c.latSum += parsed.store.lat;
          c.lngSum += parsed.store.lng;
          stores.set(parsed.store.code, { cityKey: parsed.city.key, store: parsed.store });
        }
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        rejections.addError(rowNumber, error);
      }
    }
  } catch (error) {
    close();
    throw error;
  }
  if (options.strict && rejections.count) throw strictRefusal(options.file, rowsRead, rejections);

  let cityCount: number;
  let upserted: StoreRecord[];
  try {
    ({ cityCount, upserted } = await writeCitiesAndStores(store, cities, stores, rejections));
  } catch (error) {
    // Cities and stores have no staged writer: what was written before the failure stays.
    throw new Error(`${options.file}: writing cities and stores failed part-way: ${(error as Error).message}`, { cause: error });
  }
  return {
    profile: profile.name,
    file: options.file,
    rowsRead,
    imported: upserted.length,
    duplicates,
    rejected: rejections.kept.sort((a, b) => a.row - b.row),
    rejectedCount: rejections.count,
    rejectedByReason: rejections.byReason,
    cities: cityCount,
    seconds: (performance.now() - started) / 1000,
  };
}

async function writeCitiesAndStores(
  store: IncidentStore,
  cities: ReadonlyMap<string, CityAcc>,
  stores: ReadonlyMap<string, { cityKey: string; store: NonNullable<StoreRow['store']> }>,
  rejections: Rejections,
): Promise<{ cityCount: number; upserted: StoreRecord[] }> {
  const existing = new Map((await store.listCities()).map((c) => [c.key, c]));
  const stored = new Map<string, City>();
  for (const [key, acc] of cities) {
    const before = existing.get(key);
    // Empty centre and Chinese name keep what is stored; a new city is centred on its stores.
    const centre =
      acc.city.center ??
      (before ? { lat: before.centerLat, lng: before.centerLng } : null) ??
      (acc.stores ? { lat: acc.latSum / acc.stores, lng: acc.lngSum / acc.stores } : null);
    if (centre === null) {
      const reason = 'city_lat: is required for a new city without stores';
      rejections.add(acc.firstRow, 'city_lat', reason, `${reason} (city ${key})`);
      continue;
    }
    const input: CityInput = {
      key,
      name: acc.city.name,
      nameZh: acc.city.nameZh ?? before?.nameZh ?? null,
      tz: acc.city.tz,
      centerLat: centre.lat,
      centerLng: centre.lng,
    };
    // Unchanged cities are not rewritten: re-importing a stores file then writes no city at all
    // (and DuckDB refuses to update a city that stores reference, see the report to the lead).
    const unchanged =
      before !== undefined &&
      before.name === input.name &&
      before.nameZh === input.nameZh &&
      before.tz === input.tz &&
      before.centerLat === input.centerLat &&
      before.centerLng === input.centerLng;
    stored.set(key, unchanged ? before : await store.upsertCity(input));
  }
  const inputs: StoreInput[] = [...stores.values()].map(({ cityKey, store: s }) => ({
    code: s.code,
    name: s.name,
    cityId: stored.get(cityKey)!.id,
    lat: s.lat,
    lng: s.lng,
    radiusM: s.radiusM,
  }));
  let upserted: StoreRecord[] = [];
  for (let i = 0; i < inputs.length; i += 1000) upserted = upserted.concat(await store.upsertStores(inputs.slice(i, i + 1000)));
  return { cityCount: stored.size, upserted };
}

/** An exposure file is held whole before its one transaction; beyond this, split it. */
export const MAX_EXPOSURE_ROWS = 1_000_000;

/**
 * The deliveries profile: every row is checked first, and a file with any bad row (or a store,
 * day and cell given twice) is refused whole, listing the rows at fault; a good file is written in
 * one transaction (re-imported days replace what was stored).
 */
async function importExposure(store: IncidentStore, profile: ExposureProfile, options: ImportOptions, started: number): Promise<ImportReport> {
  const { records, names, close } = await openWithHeader(profile, options.file);
  const stores = await store.listStores({ all: true });
  const ctx = { storesByCode: new Map(stores.map((s) => [s.code, s])), now: options.now ?? new Date() };
  const rejections = new Rejections();
  const rows: ExposureInput[] = [];
  const seen = new Map<string, number>();
  let rowsRead = 0;
  try {
    for (;;) {
      let next: IteratorResult<string[]>;
      try {
        next = await records.next();
      } catch (error) {
        throw new ImportError('aborted', `${options.file}: ${describeStreamError(error)} after data row ${rowsRead}; nothing was imported`);
      }
      if (next.done) break;
      const rowNumber = ++rowsRead;
      if (rowsRead > MAX_EXPOSURE_ROWS) throw new ImportError('refused', `${options.file} holds more than ${MAX_EXPOSURE_ROWS} rows; split it. Nothing was imported`);
      try {
        const countError = fieldCountError(names, next.value);
        if (countError) throw countError;
        const row = profile.toExposure(toRow(names, next.value), ctx);
        const first = seen.get(exposureKey(row));
        if (first !== undefined) throw new RowError('date', `repeats row ${first} (same store, date and cell)`);
        seen.set(exposureKey(row), rowNumber);
        rows.push(row);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        rejections.addError(rowNumber, error);
      }
    }
  } finally {
    close();
  }
  if (rejections.count) {
    const first = rejections.kept.slice(0, 10).map((r) => `row ${r.row}: ${r.reason}`).join('; ');
    throw new ImportError('refused', `${options.file}: ${rejections.count} of ${rowsRead} rows are invalid, so nothing was imported (${first}${rejections.count > 10 ? '; ...' : ''})`);
  }
  const written = await store.exposure.write(rows, new Date());
  return {
    profile: profile.name,
    file: options.file,
    rowsRead,
    imported: written,
    duplicates: 0,
    rejected: [],
    rejectedCount: 0,
    rejectedByReason: {},
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Imports `file` with a profile into `store` (migrated).
 * @throws ImportError `refused` (nothing read or stored) or `aborted` (rolled back).
 */
export async function importFile(store: IncidentStore, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const profile = typeof options.profile === 'string' ? profileByName(options.profile) : options.profile;
  if (!profile) {
    throw new ImportError('refused', `unknown profile "${String(options.profile)}"; profiles: ${Object.keys(PROFILES).join(', ')}`);
  }
  if (profile.target === 'exposure') {
    if (options.assign || (options.coords && options.coords !== 'wgs84')) {
      throw new ImportError('refused', '--assign and --coords apply to incident and store profiles, not to deliveries');
    }
    return importExposure(store, profile, options, started);
  }
  if (profile.target === 'stores') {
    if (options.assign) throw new ImportError('refused', '--assign applies to incident profiles, not to stores');
    return importStores(store, profile, options, started);
  }
  return importIncidents(store, profile, options, started);
}
