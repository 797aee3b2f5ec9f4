/**
 * The change feed behind live updates (issue 14, ../DESIGN.md "Live updates"): one row in
 * incident_change per created incident and per change of status, review, assignee or due time,
 * written in the same transaction as the change (the staged writer's commit, the workflow's
 * transaction), with an id that grows in commit order.
 *
 * Why ids follow commit order: two transactions that took ids 10 and 11 may commit 11 first; a
 * reader that saw 11 and moved its cursor there would never see 10. So every writer of the feed
 * takes the feed lock (`SqlDb.lockChangeFeed`: an advisory transaction lock on PostgreSQL, an
 * in-process queue on DuckDB) just before it draws ids, and holds it until it commits. Only the
 * tail of a write is serialized (one INSERT ... SELECT and the commit).
 *
 * Readers never trust a wake-up's payload: they read the rows after their cursor. The rows are
 * snapshots with the columns the shared filter SQL reads under their `incident` names, so the
 * filters apply to the feed itself, with no join to the (large) incident table.
 */
import type { Filters } from '../domain/filters.js';
import { cellIdToHex } from '../domain/h3-cells.js';
import type { Category, Kind, ReviewState, Severity, Status } from '../domain/incident.js';
import { shardKeySql } from './citus.js';
import { filterWhere } from './filter-sql.js';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { num, sqlIntList } from './sql-db.js';
import { col } from './sql-rows.js';
import type { Scope } from './types.js';

/** The feed keeps every change at least this long... */
export const FEED_RETENTION_HOURS = 24;
/** ...and at least this many of the latest changes, whichever keeps more. */
export const FEED_RETENTION_CHANGES = 100_000;
/** PostgreSQL channel between instances; the payload is the latest change id. */
export const FEED_CHANNEL = 'hexwatch_changes';
/** pg_advisory_xact_lock key of the feed's writers. */
export const FEED_LOCK_KEY = 7277014;
/** Meta key: the highest change id removed by pruning (a cursor below it missed changes). */
export const FEED_PRUNED_META = 'live.pruned_through';

export const CHANGE_TYPES = ['incident.created', 'incident.updated'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One change as subscribers receive it: the incident right after the change. */
export interface IncidentChange {
  /** The feed id (monotonic, commit order). */
  eventId: number;
  type: ChangeType;
  /** The incident's id. */
  id: number;
  storeId: number | null;
  cityId: number;
  /** Resolution-11 cell, h3-js hex. */
  cell: string;
  /** WGS-84: the hexagon of any resolution is `latLngToCell(lat, lng, r)`. */
  lat: number;
  lng: number;
  status: Status;
  review: ReviewState | null;
  dueAt: Date | null;
  /** The state before an update; null for a created incident. */
  previous: PreviousState | null;
  kind: Kind;
  category: Category;
  severity: Severity;
  occurredAt: Date;
  changedAt: Date;
  /** The incident's key at its source (a pipeline can recognise its own records). */
  externalId: string;
}

export interface FeedBounds {
  /** The latest committed change id (0 before the first). */
  head: number;
  /** The highest id pruned away (0 when nothing was pruned). */
  prunedThrough: number;
}

export interface FeedPage {
  changes: IncidentChange[];
  /** The cursor to read on from: every id up to it was examined (matched or not). */
  through: number;
}

export interface ChangeFeed {
  bounds(): Promise<FeedBounds>;
  /**
   * Changes after `after` within the scope and the filters' where/what parts (time range, kinds,
   * categories, severities, stores, cities, text), oldest first. Status, review and overdue
   * filters do not apply: a change moves an incident into or out of them, and the subscriber
   * must hear both (the payload carries the new status and review).
   */
  read(after: number, scope: Scope, filters: Filters, limit: number): Promise<FeedPage>;
  /**
   * Calls `listener` after changes were committed (by any instance on PostgreSQL), and once
   * when the feed closes; returns the unsubscribe.
   */
  onChange(listener: () => void): () => void;
  /** True once the server shuts down: subscriptions end, so that their connections close. */
  readonly closed: boolean;
  close(): void;
  /**
   * Removes the changes that are both older than `keepHours` and beyond the latest `keepChanges`
   * (defaults FEED_RETENTION_HOURS, FEED_RETENTION_CHANGES), and records the highest id removed.
   * @returns how many were removed
   */
  prune(now: Date, keep?: { keepHours?: number; keepChanges?: number }): Promise<number>;
}

/** In-process wake-ups for subscribers. */
export class ChangeSignal {
  private readonly listeners = new Set<() => void>();

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * DuckDB's feed lock: one holder at a time, in arrival order, within one process (DuckDB serves
 * one process). `acquire` resolves with the release function.
 */
export class FeedQueue {
  private tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const before = this.tail;
    this.tail = before.then(() => held);
    await before;
    return release;
  }
}

const SNAPSHOT_COLUMNS = `incident_id, store_id, city_id, h3, lat, lng, kind, category, severity, occurred_at, status, review,
  due_at, description, rider_id, external_id, shard_key`;

/**
 * Records the staged incidents just inserted (stage_incident.id set) as `incident.created`,
 * within the staged writer's transaction. Call it after the incident rows are written.
 */
export async function recordCreated(tx: SqlDb): Promise<void> {
  await tx.lockChangeFeed();
  await tx.query(
    `INSERT INTO incident_change (type, changed_at, ${SNAPSHOT_COLUMNS})
     SELECT 'incident.created', current_timestamp, id, store_id, city_id, h3, lat, lng, kind, category, severity, occurred_at,
            CAST(status AS TEXT), CAST(review AS TEXT), due_at, description, rider_id, external_id, ${shardKeySql('stage_incident')}
     FROM stage_incident ORDER BY id`,
  );
  await tx.announceChanges();
}

/** The state an update moved an incident from. */
export interface PreviousState {
  status: Status;
  review: ReviewState | null;
  dueAt: Date | null;
}

/** Records the incident as it is now in the transaction as `incident.updated`, with the state before. */
export async function recordUpdated(tx: SqlDb, incidentId: number, storeId: number | null, previous: PreviousState): Promise<void> {
  await tx.lockChangeFeed();
  // the incident's own store key as a literal: routes to one shard on Citus
  const storeKey = storeId === null ? 'store_id IS NULL' : `store_id = ${sqlIntList([storeId]).slice(1, -1)} AND shard_key = ${sqlIntList([storeId]).slice(1, -1)}`;
  await tx.query(
    `INSERT INTO incident_change (type, changed_at, ${SNAPSHOT_COLUMNS}, prev_status, prev_review, prev_due_at)
     SELECT 'incident.updated', current_timestamp, id, store_id, city_id, h3, lat, lng, kind, category, severity, occurred_at,
            CAST(status AS TEXT), CAST(review AS TEXT), due_at, description, rider_id, external_id, shard_key, $2, $3, $4
     FROM incident WHERE id = $1 AND ${storeKey}`,
    [incidentId, previous.status, previous.review, previous.dueAt],
  );
  await tx.announceChanges();
}

function rowToChange(r: SqlRow): IncidentChange {
  return {
    eventId: col.number(r, 'id'),
    type: col.text(r, 'type') as ChangeType,
    id: col.number(r, 'incident_id'),
    storeId: r.store_id === null || r.store_id === undefined ? null : col.number(r, 'store_id'),
    cityId: col.number(r, 'city_id'),
    cell: cellIdToHex(col.bigint(r, 'h3')),
    lat: col.number(r, 'lat'),
    lng: col.number(r, 'lng'),
    status: col.text(r, 'status') as Status,
    review: col.textOrNull(r, 'review') as ReviewState | null,
    dueAt: col.dateOrNull(r, 'due_at'),
    previous:
      r.prev_status === null || r.prev_status === undefined
        ? null
        : { status: col.text(r, 'prev_status') as Status, review: col.textOrNull(r, 'prev_review') as ReviewState | null, dueAt: col.dateOrNull(r, 'prev_due_at') },
    kind: col.text(r, 'kind') as Kind,
    category: col.text(r, 'category') as Category,
    severity: col.number(r, 'severity') as Severity,
    occurredAt: col.date(r, 'occurred_at'),
    changedAt: col.date(r, 'changed_at'),
    externalId: col.text(r, 'external_id'),
  };
}

/** A change with the text the free-text filter reads (kept in the recent tail only). */
export interface TailEntry {
  change: IncidentChange;
  description: string | null;
  riderId: string | null;
}

export function rowToTailEntry(r: SqlRow): TailEntry {
  return { change: rowToChange(r), description: col.textOrNull(r, 'description'), riderId: col.textOrNull(r, 'rider_id') };
}

/**
 * The feed's filter as SQL over incident_change `c`: filterWhere without the state parts (see
 * ChangeFeed.read), appending its parameters to `params`.
 */
export function feedFilterSql(scope: Scope, filters: Filters, params: SqlValue[]): string {
  const { statuses: _s, review: _r, overdueOnly: _o, ...stable } = filters;
  // without overdueOnly no part reads `now` (filterWhere adds it on first use only): the epoch
  // says so, and keeps this fragment off the system clock that tests fix with HEXWATCH_NOW
  return filterWhere({ filters: stable, scope, now: new Date(0), anyReview: true }, params, 'c').where;
}

/**
 * The feed's filter in memory, for the recent tail: the same rules as filterWhere
 * (server/store/filter-sql.ts) over the change row, without the state parts the feed ignores
 * (see ChangeFeed.read). tests/property/change-feed-filter.test.ts holds the two together.
 */
export function changeMatches(entry: TailEntry, scope: Scope, f: Filters): boolean {
  const c = entry.change;
  if (!scope.all && (c.storeId === null || !scope.storeIds.includes(c.storeId))) return false;
  const t = c.occurredAt.getTime();
  if (f.from && t < Date.parse(f.from)) return false;
  if (f.to && t >= Date.parse(f.to)) return false;
  if (f.kinds && !f.kinds.includes(c.kind)) return false;
  if (f.categories && !f.categories.includes(c.category)) return false;
  if (f.severities && !f.severities.includes(c.severity)) return false;
  if (f.storeIds && (c.storeId === null || !f.storeIds.includes(c.storeId))) return false;
  if (f.cityIds && !f.cityIds.includes(c.cityId)) return false;
  if (f.q) {
    const text = (entry.description ?? '').toLowerCase();
    if (!text.includes(f.q.toLowerCase()) && entry.riderId !== f.q && c.externalId !== f.q) return false;
  }
  return true;
}

/** Changes kept in memory for subscribers that are up to date (most of them). */
const TAIL_CHANGES = 20_000;
/** The tail is refreshed at least this often even without a wake-up. */
const TAIL_MAX_AGE_MS = 1_000;

/**
 * Subscribers woken by the same commit would each query the feed: with hundreds of them (every
 * store manager's phone) that is hundreds of queries per commit. So the feed keeps the recent
 * changes in memory, refreshed by one query per wake-up, and subscribers whose cursor is within
 * it filter there (changeMatches). A cursor older than the tail (a resume after a long pause)
 * reads from the database with the filter SQL.
 */
export class SqlChangeFeed implements ChangeFeed {
  /** Identical database reads in flight share one query. */
  private readonly inFlight = new Map<string, Promise<FeedPage>>();
  private readonly listeners = new Set<() => void>();
  closed = false;
  /** Changes with ids in (tailFrom, tailHead], oldest first; null before the first refresh. */
  private tail: TailEntry[] = [];
  private tailFrom = -1;
  private tailHead = -1;
  /** Wake-ups seen / the wake-up count when the last refresh started. */
  private wakeups = 0;
  private refreshedAt = { wakeups: -1, ms: 0 };
  private refreshing: Promise<void> | null = null;
  private unwatchTail: (() => void) | null = null;

  constructor(
    private readonly db: SqlDb,
    private readonly watch: (listener: () => void) => () => void,
  ) {}

  async bounds(): Promise<FeedBounds> {
    const [rows, pruned] = await Promise.all([
      this.db.query(`SELECT max(id) AS head FROM incident_change`),
      this.db.query(`SELECT value FROM meta WHERE key = $1`, [FEED_PRUNED_META]),
    ]);
    const prunedThrough = pruned.length ? Number(pruned[0]!.value) : 0;
    const max = rows[0]?.head;
    return { head: max === null || max === undefined ? prunedThrough : num(max), prunedThrough };
  }

  async read(after: number, scope: Scope, filters: Filters, limit: number): Promise<FeedPage> {
    if (!Number.isSafeInteger(after) || after < 0) throw new TypeError(`not a change id: ${after}`);
    await this.refreshTail();
    if (this.tailFrom < 0 || after < this.tailFrom) return this.readFromDb(after, scope, filters, limit);
    const changes: IncidentChange[] = [];
    // ids ascend: skip to the first after the cursor
    let lo = 0;
    let hi = this.tail.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tail[mid]!.change.eventId <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.tail.length && changes.length < limit; i++) {
      const entry = this.tail[i]!;
      if (changeMatches(entry, scope, filters)) changes.push(entry.change);
    }
    const through = changes.length === limit ? changes[changes.length - 1]!.eventId : Math.max(after, this.tailHead);
    return { changes, through };
  }

  /** One query per wake-up (shared by every reader) appends the new changes to the tail. */
  private refreshTail(): Promise<void> {
    this.unwatchTail ??= this.watch(() => this.wakeups++);
    const fresh = this.refreshedAt.wakeups === this.wakeups && Date.now() - this.refreshedAt.ms < TAIL_MAX_AGE_MS;
    if (fresh) return this.refreshing ?? Promise.resolve();
    if (this.refreshing) return this.refreshing.then(() => this.refreshTail());
    this.refreshedAt = { wakeups: this.wakeups, ms: Date.now() };
    this.refreshing = (async () => {
      try {
        const { head } = await this.bounds();
        if (this.tailFrom < 0) {
          // start empty at the head: older cursors read from the database
          this.tailFrom = this.tailHead = head;
          return;
        }
        while (this.tailHead < head) {
          const rows = await this.db.query(
            `SELECT * FROM incident_change WHERE id > $1 AND id <= $2 ORDER BY id LIMIT ${TAIL_CHANGES}`,
            [this.tailHead, head],
          );
          for (const r of rows) this.tail.push(rowToTailEntry(r));
          this.tailHead = rows.length < TAIL_CHANGES ? head : this.tail[this.tail.length - 1]!.change.eventId;
        }
        if (this.tail.length > TAIL_CHANGES) {
          const dropped = this.tail.splice(0, this.tail.length - TAIL_CHANGES);
          this.tailFrom = dropped[dropped.length - 1]!.change.eventId;
        }
      } catch (error) {
        this.refreshedAt = { wakeups: -1, ms: 0 }; // try again on the next read
        throw error;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private readFromDb(after: number, scope: Scope, filters: Filters, limit: number): Promise<FeedPage> {
    const key = JSON.stringify([after, scope, filters, limit]);
    let page = this.inFlight.get(key);
    if (!page) {
      page = this.readNow(after, scope, filters, limit).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, page);
    }
    return page;
  }

  private async readNow(after: number, scope: Scope, filters: Filters, limit: number): Promise<FeedPage> {    // everything up to the head read first is committed (writers commit in id order), so a
    // page that ends short of the limit has examined every id up to the head
    const { head } = await this.bounds();
    if (head <= after) return { changes: [], through: after };
    const params: SqlValue[] = [after, head];
    const where = feedFilterSql(scope, filters, params);
    const rows = await this.db.query(
      `SELECT c.* FROM incident_change c WHERE c.id > $1 AND c.id <= $2 AND ${where}
       ORDER BY c.id LIMIT ${Math.max(1, Math.trunc(limit))}`,
      params,
    );
    const changes = rows.map(rowToChange);
    const through = changes.length === limit ? changes[changes.length - 1]!.eventId : head;
    return { changes, through };
  }

  onChange(listener: () => void): () => void {
    const unwatch = this.watch(listener);
    this.listeners.add(listener);
    return () => {
      unwatch();
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    this.unwatchTail?.();
    for (const listener of this.listeners) listener();
  }

  async prune(now: Date, keep: { keepHours?: number; keepChanges?: number } = {}): Promise<number> {
    const keepHours = keep.keepHours ?? FEED_RETENTION_HOURS;
    const keepChanges = keep.keepChanges ?? FEED_RETENTION_CHANGES;
    return this.db.transaction(async (tx) => {
      const since = new Date(now.getTime() - keepHours * 3_600_000);
      const rows = await tx.query(
        `SELECT (SELECT max(id) FROM incident_change WHERE changed_at < $1) AS old,
                (SELECT max(id) FROM incident_change) AS head`,
        [since],
      );
      if (rows[0]!.old === null || rows[0]!.old === undefined) return 0;
      const cutoff = Math.min(col.number(rows[0]!, 'old'), col.number(rows[0]!, 'head') - keepChanges);
      if (cutoff <= 0) return 0;
      const gone = await tx.query(`SELECT count(*) AS n FROM incident_change WHERE id <= $1`, [cutoff]);
      if (col.number(gone[0]!, 'n') === 0) return 0;
      await tx.query(`DELETE FROM incident_change WHERE id <= $1`, [cutoff]);
      await tx.query(
        `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [FEED_PRUNED_META, String(cutoff)],
      );
      return col.number(gone[0]!, 'n');
    });
  }
}
