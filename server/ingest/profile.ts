/**
 * What an import profile is: the columns it reads and a pure row -> record function.
 * `incidents` profiles produce IncidentInput rows for the incident writer; the `stores` profile
 * produces city and store rows. Lookups a row needs (cities, stores) come in a context built once
 * per import, so the row functions stay pure and table-testable.
 */
import type { Severity } from '../domain/incident.js';
import type { City, CityInput, IncidentInput, StoreRecord } from '../store/types.js';
import type { CoordSystem } from './coords.js';
import type { Row } from './fields.js';
import type { StoreLocator } from './nearest-store.js';

export interface ColumnSpec {
  name: string;
  required: boolean;
  /** One line for docs/import.md and the refusal message. */
  description: string;
}

export interface IncidentRowContext {
  coords: CoordSystem;
  /** `--assign nearest`: attach each row to the nearest store covering it. */
  assignNearest: boolean;
  citiesByKey: ReadonlyMap<string, City>;
  storesByCode: ReadonlyMap<string, StoreRecord>;
  locator: StoreLocator;
  /** Rows more than a day after this are refused as "in the future". */
  now: Date;
  /**
   * Hours per severity of the SLA in force now (the admin settings, read once per import): a
   * row without its own due time is due at occurrence plus these hours, whatever its source.
   */
  slaHours: Readonly<Record<Severity, number>>;
}

export interface IncidentProfile {
  readonly name: string;
  readonly target: 'incidents';
  readonly columns: readonly ColumnSpec[];
  /** Cities the rows need; created when missing, left as they are when present. */
  readonly ensureCities?: readonly CityInput[];
  /** @throws RowError naming the field when the row cannot be imported. */
  toIncident(row: Row, ctx: IncidentRowContext): IncidentInput;
}

/** One row of a stores file: a city, and (unless storeCode is null) one of its stores. */
export interface StoreRow {
  city: {
    key: string;
    name: string;
    nameZh: string | null;
    tz: string;
    /** WGS-84; null when the file leaves the centre to be derived. */
    center: { lat: number; lng: number } | null;
  };
  store: { code: string; name: string; lat: number; lng: number; radiusM: number } | null;
}

export interface StoresProfile {
  readonly name: string;
  readonly target: 'stores';
  readonly columns: readonly ColumnSpec[];
  /** @throws RowError naming the field when the row cannot be imported. */
  toStoreRow(row: Row, coords: CoordSystem): StoreRow;
}

/** `deliveries`: exposure rows (server/ingest/profiles/deliveries.ts); a file with any bad row is refused whole. */
export interface ExposureProfile {
  readonly name: string;
  readonly target: 'exposure';
  readonly columns: readonly ColumnSpec[];
  /** @throws RowError naming the field when the row cannot be stored. */
  toExposure(row: Row, ctx: import('./profiles/deliveries.js').ExposureRowContext): import('./profiles/deliveries.js').ExposureInput;
}

export type Profile = IncidentProfile | StoresProfile | ExposureProfile;

export class HeaderError extends Error {}

/**
 * Header -> column names as the profile spells them (trimmed, lower case).
 * Unknown columns are refused too: a misspelt optional column would otherwise be dropped silently.
 * @throws HeaderError listing missing, unknown and repeated columns and what the profile expects.
 */
export function checkHeader(profile: Profile, header: readonly string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set(profile.columns.map((c) => c.name));
  const problems: string[] = [];
  const missing = profile.columns.filter((c) => c.required && !names.includes(c.name)).map((c) => c.name);
  if (missing.length) problems.push(`missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) problems.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length) problems.push(`repeated column${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}`);
  if (problems.length) {
    const required = profile.columns.filter((c) => c.required).map((c) => c.name);
    const optional = profile.columns.filter((c) => !c.required).map((c) => c.name);
    throw new HeaderError(
      `header does not fit the ${profile.name} profile: ${problems.join('; ')}. ` +
        `Required: ${required.join(', ')}` +
        (optional.length ? `; optional: ${optional.join(', ')}` : '') +
        ' (see docs/import.md)',
    );
  }
  return names;
}
