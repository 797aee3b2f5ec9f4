/**
 * The storage seam (../DESIGN.md "Storage: one interface, two real engines").
 * DuckDB (embedded default) and PostgreSQL implement it; both pass tests/integration/store-contract.
 * Rows come back as DTOs with camelCase fields, never raw driver rows.
 */
import type { Bbox, Filters } from '../domain/filters.js';
import type { Hexbins } from '../domain/hexbin-wire.js';
import type { Category, Kind, ReviewState, Resolution, Role, Severity, Source, Status } from '../domain/incident.js';

export type Engine = 'duckdb' | 'postgres';

/**
 * Which stores a caller may see. Analysts and admins see everything; store managers and viewers
 * only their stores (and never incidents without a store). Built from the user by `scopeForUser`.
 */
export type Scope = { all: true } | { all: false; storeIds: readonly number[] };

export interface CityInput {
  /** Stable key used by imports and the demo, e.g. `fuzhou`. */
  key: string;
  name: string;
  nameZh?: string | null;
  /** IANA time zone; day and month buckets are computed in it. */
  tz: string;
  centerLat: number;
  centerLng: number;
}
export interface City extends Required<CityInput> {
  id: number;
}

export interface StoreInput {
  code: string;
  name: string;
  cityId: number;
  lat: number;
  lng: number;
  radiusM: number;
}
export interface StoreRecord extends StoreInput {
  id: number;
  cityName: string;
}

export interface UserInput {
  id: string;
  name: string;
  role: Role;
  storeIds: number[];
  feishuOpenId?: string | null;
}
export type User = Required<UserInput>;

export interface IncidentEventInput {
  at: Date;
  actor: string;
  fromStatus: Status | null;
  toStatus: Status;
  note: string | null;
}
export interface IncidentEvent extends IncidentEventInput {
  id: number;
}

/** One incident to write. The store computes the H3 cell from lat/lng (WGS-84). */
export interface IncidentInput {
  kind: Kind;
  category: Category;
  severity: Severity;
  occurredAt: Date;
  lat: number;
  lng: number;
  cityId: number;
  storeId: number | null;
  riderId: string | null;
  description: string | null;
  photoUrls: string[];
  source: Source;
  externalId: string;
  aiLabel: string | null;
  aiConfidence: number | null;
  /** The AI pipeline's model version that made the detection, when it sends one (issue 16). */
  aiModelVersion?: string | null;
  review: ReviewState | null;
  status: Status;
  assignee: string | null;
  dueAt: Date | null;
  closedAt: Date | null;
  resolution: Resolution | null;
  /** Defaults to occurredAt. */
  createdAt?: Date;
  /** The closure timeline, oldest first. */
  events: IncidentEventInput[];
}

export interface Incident extends Omit<IncidentInput, 'events' | 'createdAt'> {
  id: number;
  /** The containing cell at resolution 11, as an h3-js hex string. */
  cell: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WriteSummary {
  inserted: number;
  /** Rows skipped because (source, external_id) was already stored or repeated in the batch. */
  duplicates: number;
}

/**
 * A bulk write that becomes visible all at once on commit: an import either lands whole or not
 * at all, and re-ingest is idempotent on (source, external_id). Rows are staged on the engine
 * (not held in Node memory), so files of millions of rows stream through it.
 */
export interface IncidentWriter {
  write(rows: readonly IncidentInput[]): Promise<void>;
  commit(): Promise<WriteSummary>;
  rollback(): Promise<void>;
}

export interface WriterOptions {
  /**
   * Record the new incidents in the change feed (live updates); default true. The demo seed
   * turns it off: a seeded database is where screens start, not news.
   */
  changeFeed?: boolean;
}

export interface IncidentTotals {
  total: number;
  bySeverity: Record<Severity, number>;
}

export interface HexbinQuery {
  /** 5..11 */
  resolution: number;
  filters: Filters;
  bbox?: Bbox;
  /** The instant "overdue" is judged at. */
  now: Date;
}

/**
 * One resolution, columnar: index k of every array describes cells[k]. Cells ascend by id
 * (neighbours share prefixes, which compresses well). `open` counts open, assigned and
 * in-progress incidents; `closed` counts closed and dismissed ones; `overdue` the open past due.
 */
/** Hexbins: defined beside how `map.hexbins` sends them (server/domain/hexbin-wire.ts). */
export type { Hexbins };

export const INCIDENT_SORTS = ['newest', 'severity', 'overdue'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

export interface IncidentListQuery {
  filters: Filters;
  /** h3-js id of a cell at resolution 5..11: its incidents only. */
  cell?: string;
  sort: IncidentSort;
  limit: number;
  /** Opaque keyset cursor from a previous page's nextCursor. */
  cursor?: string;
  now: Date;
  /** Whole descriptions (exports); a list row otherwise gets the first 140 characters. */
  fullDescription?: boolean;
}

export interface IncidentListItem {
  id: number;
  kind: Kind;
  category: Category;
  severity: Severity;
  occurredAt: Date;
  status: Status;
  review: ReviewState | null;
  aiConfidence: number | null;
  cityId: number;
  storeId: number | null;
  lat: number;
  lng: number;
  /** Stored cell (resolution 11). */
  cell: string;
  assignee: string | null;
  dueAt: Date | null;
  overdue: boolean;
  /** First 140 characters (all of it with `fullDescription`). */
  description: string | null;
  photoUrl: string | null;
}

export interface IncidentPage {
  items: IncidentListItem[];
  nextCursor: string | null;
  /** All incidents matching the query (not just this page). */
  total: number;
}

export interface IncidentStore {
  readonly engine: Engine;
  /**
   * Applies pending migrations (idempotent) and finishes the data they need (migration 005's
   * cell columns), printing progress of long steps to `opts.log`. `upTo` stops after that
   * version (restore loads a backup into the schema it was taken from, then migrates on).
   */
  migrate(opts?: { upTo?: number; log?: (line: string) => void; batchRows?: number }): Promise<void>;
  /** Plain SQL on the whole database, for tools that work on every table (server/backup/). */
  sqlForTools(): import('./sql-db.js').SqlDb;
  /**
   * Puts the incident rows in the engine's preferred physical order after a bulk load (DuckDB:
   * city, store, cell, for its zone maps). Absent where indexes do that job (PostgreSQL).
   */
  sortIncidents?(): Promise<void>;
  close(): Promise<void>;

  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;

  /** Insert or update by key; returns the stored city. */
  upsertCity(city: CityInput): Promise<City>;
  listCities(): Promise<City[]>;
  /** Insert or update by code; returns the stored stores in input order. */
  upsertStores(stores: readonly StoreInput[]): Promise<StoreRecord[]>;
  /** The operating stores of the scope; `includeArchived` for administration. */
  listStores(scope: Scope, opts?: { includeArchived?: boolean }): Promise<StoreRecord[]>;

  upsertUsers(users: readonly UserInput[]): Promise<void>;
  listUsers(): Promise<User[]>;
  getUser(id: string): Promise<User | null>;

  /**
   * A new session for the user; returns the opaque token the cookie carries. `replaces`: the
   * session token the signing-in browser still held, revoked in the same transaction (signing in
   * again rotates the token: a copy of the old cookie stops working).
   */
  createSession(userId: string, ttlMs: number, replaces?: string | null): Promise<string>;
  /** The user behind a live session, or null when unknown or expired. */
  sessionUser(token: string): Promise<User | null>;
  deleteSession(token: string): Promise<void>;
  /** Revokes every session of the user (logout signs out on every device). */
  deleteUserSessions(userId: string): Promise<void>;

  openIncidentWriter(opts?: WriterOptions): Promise<IncidentWriter>;
  /**
   * One ingest batch (the API's): all or nothing, idempotent on (source, external_id), durable
   * when the promise resolves, even across a crash. DuckDB commits concurrent batches together.
   */
  ingest(incidents: readonly IncidentInput[]): Promise<WriteSummary>;
  /** Makes everything committed part of the database file (DuckDB: CHECKPOINT; PostgreSQL: nothing to do). */
  checkpoint(): Promise<void>;
  incidentTotals(scope: Scope, opts?: { source?: Source; cityId?: number }): Promise<IncidentTotals>;
  /** One incident by its ingest key, or null when absent or outside the scope. */
  incidentBySourceKey(source: Source, externalId: string, scope: Scope): Promise<Incident | null>;
  /** One incident with its timeline, or null when absent or outside the scope. */
  incidentById(id: number, scope: Scope): Promise<{ incident: Incident; events: IncidentEvent[] } | null>;
  /** @throws BadInputError for a malformed bbox */
  hexbins(query: HexbinQuery, scope: Scope): Promise<Hexbins>;
  /** @throws BadInputError for a malformed cell or cursor */
  listIncidents(query: IncidentListQuery, scope: Scope): Promise<IncidentPage>;

  /** API keys, Feishu identities, admin edits and settings (server/store/security.ts). */
  readonly security: import('./security.js').SecurityStore;
  /** Seals third-party secrets at rest (server/security/secret-box.ts); null until installed. */
  readonly secretBox: import('../security/secret-box.js').SecretBox | null;
  useSecretBox(box: import('../security/secret-box.js').SecretBox): void;
  /** The closure workflow: changes, comments, reviews, timeline, work lists, closure-rate counts (server/store/workflow.ts). */
  readonly workflow: import('./workflow.js').WorkflowStore;
  /** Statistics for charts and hot spots (server/store/stats.ts). */
  readonly stats: import('./stats.js').StatsStore;
  /** Hot-spot alerts, Feishu targets, the notification outbox and job runs (server/store/alerts.ts). */
  readonly alerts: import('./alerts.js').AlertStore;
  /** The work loop in Feishu: handled events, cards to people, escalations, drafts (server/store/work-loop.ts). */
  readonly workLoop: import('./work-loop.js').WorkLoopStore;
  /** Created and changed incidents, for live updates (server/store/change-feed.ts). */
  readonly changeFeed: import('./change-feed.js').ChangeFeed;
  /** Countermeasures on cells and their before/after counts (server/store/countermeasures.ts). */
  readonly countermeasures: import('./countermeasures.js').CountermeasureStore;
  /** Deliveries per store and day, optionally per cell (server/store/exposure.ts). */
  readonly exposure: import('./exposure.js').ExposureStore;
  /** AI trust figures, the expected-value review queue, bulk confirmation (server/store/ai-trust.ts). */
  readonly aiTrust: import('./ai-trust.js').AiTrustStore;
}
