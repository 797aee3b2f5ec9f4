/**
 * The closure workflow's storage: status changes, comments and review decisions with
 * optimistic concurrency, the timeline, the store manager's work list, and the counts behind
 * the monthly closure rate and the KPI cards. One SQL implementation serves DuckDB and
 * PostgreSQL; the rules themselves are the pure ../domain/closure.ts, applied here inside the
 * transaction, to the row as read in it.
 *
 * Concurrency: a change reads the row, checks `expectedVersion`, then writes
 * `UPDATE ... WHERE id = $ AND version = $read`. On PostgreSQL a concurrent writer blocks on the
 * row lock and then finds the version moved (0 rows); DuckDB's MVCC instead raises a write-write
 * conflict ("Conflict on update!") in the later writer. Both become CONFLICT with the current
 * status and version, and the change's event is written in the same transaction, so the event
 * log holds exactly the changes that won.
 */
import type { Actor, ChangePlan, EventKind, IncidentPatch, ReviewDecision, TransitionRequest } from '../domain/closure.js';
import {
  assertMayWork,
  assertVersion,
  conflictError,
  confirmedIncidentSql,
  monthStartInstant,
  nextMonthKey,
  planComment,
  planReview,
  planTransition,
  WorkflowError,
} from '../domain/closure.js';
import type { Filters } from '../domain/filters.js';
import type { Resolution, Severity, Status } from '../domain/incident.js';
import { DUE_SOON_HOURS, dueSoonEnd, dueSoonSql, FINAL_STATUSES_SQL, finalStatusSql, isDueSoon, isOverdue, notFinalStatusSql, overdueSql } from '../domain/sla.js';
import { recordUpdated } from './change-feed.js';
import { filterWhere } from './filter-sql.js';
import { scopeForUser } from './scope.js';
import type { SqlDb, SqlRow, SqlValue } from './sql-db.js';
import { sqlIntList } from './sql-db.js';
import { shardKeyOf } from './citus.js';
import { col, incidentScopePredicate, rowToIncident, rowToListItem } from './sql-rows.js';
import type { Incident, IncidentListItem, Scope } from './types.js';

export interface TransitionCommand extends TransitionRequest {
  id: number;
  expectedVersion: number;
}

export interface CommentCommand {
  id: number;
  note: string;
  /** When given, the comment is refused with CONFLICT if the incident moved on meanwhile. */
  expectedVersion?: number;
}

export interface ReviewCommand {
  id: number;
  decision: ReviewDecision;
  /** Required to reject (the reason). */
  note?: string;
  expectedVersion?: number;
}

/** One timeline entry. `toStatus` is the status after the entry (a comment's is unchanged). */
export interface TimelineEvent {
  id: number;
  kind: EventKind;
  at: Date;
  actor: string;
  /** The actor's display name, when the actor is a known user (not `ai_vision`, `import`...). */
  actorName: string | null;
  fromStatus: Status | null;
  toStatus: Status;
  note: string | null;
  /** The resolution code of a close. */
  resolution: Resolution | null;
}

export interface WorkflowResult {
  /** The incident after the change (version bumped unless it was a comment). */
  incident: Incident;
  event: TimelineEvent;
}

export interface WorkItem extends IncidentListItem {
  version: number;
  /** Not overdue yet, due within the query's dueSoonHours. */
  dueSoon: boolean;
}

export interface MyWorkQuery {
  now: Date;
  /** Items per list (totals count everything). */
  limit: number;
  dueSoonHours?: number;
}

export interface MyWork {
  /** `stores`: the incidents of the actor's stores (store managers); `assigned`: those assigned to the actor. */
  basis: 'stores' | 'assigned';
  /** Not closed or dismissed, reviewed or not AI detections, by due time (overdue ones first). */
  work: { items: WorkItem[]; total: number; overdue: number; dueSoon: number };
  /** AI detections awaiting review in the actor's scope, by due time. */
  reviews: { items: WorkItem[]; total: number };
}

export interface ClosureCountsQuery {
  /** Only where/what filters are meant here; the caller drops the time range and status parts. */
  filters: Filters;
  /** The calendar months (`YYYY-MM`, each city's own zone) to count. */
  months: readonly string[];
}

/**
 * The closure-rate counts of one store (or the incidents without a store of a city) and one
 * calendar month in the city's zone. Rejected and pending AI detections are left out.
 */
export interface ClosureCounts {
  cityId: number;
  storeId: number | null;
  /** `YYYY-MM` in the city's time zone. */
  month: string;
  occurred: number;
  /** Of those, closed or dismissed now. */
  closedNow: number;
  /** Of those, closed or dismissed at the end of the month (from the timeline). */
  closedByEnd: number;
}

export interface KpiCounts {
  incidents: number;
  /** Not closed or dismissed. */
  open: number;
  overdue: number;
  pendingReview: number;
}

export interface WorkflowStore {
  /** @throws WorkflowError NOT_FOUND, FORBIDDEN, BAD_REQUEST (naming the field) or CONFLICT */
  /** `slaHours`: the SLA a reopened incident's new due time follows (admin settings). */
  transition(cmd: TransitionCommand, actor: Actor, at: Date, slaHours?: Record<Severity, number>): Promise<WorkflowResult>;
  /** @throws WorkflowError NOT_FOUND, FORBIDDEN, BAD_REQUEST or CONFLICT */
  comment(cmd: CommentCommand, actor: Actor, at: Date): Promise<WorkflowResult>;
  /** @throws WorkflowError NOT_FOUND, FORBIDDEN, BAD_REQUEST or CONFLICT */
  review(cmd: ReviewCommand, actor: Actor, at: Date): Promise<WorkflowResult>;
  /** The incident's events, oldest first, or null when absent or outside the scope. */
  timeline(id: number, scope: Scope): Promise<TimelineEvent[] | null>;
  myWork(actor: Actor, query: MyWorkQuery): Promise<MyWork>;
  closureCounts(query: ClosureCountsQuery, scope: Scope): Promise<ClosureCounts[]>;
  /** Counts of the incidents matching the whole filter, judged at `now`. */
  kpiCounts(filters: Filters, now: Date, scope: Scope): Promise<KpiCounts>;
}

/** DuckDB write-write conflicts: retries after 10, 20, 40, 80, 160 ms (see `change`). */
const CONFLICT_RETRIES = 5;
const CONFLICT_RETRY_MS = 10;

/** A write conflict between concurrent transactions, as either engine reports it. */
export function isWriteConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // PostgreSQL serialization_failure: not raised at READ COMMITTED today, but it means the same
  if ((error as { code?: unknown }).code === '40001') return true;
  // DuckDB: "TransactionContext Error: Conflict on update!" (or on commit)
  return /TransactionContext Error:.*conflict/i.test(error.message);
}

/** A timestamp literal from a Date (our own ISO output only, never user text). */
function timestampSql(d: Date): string {
  return `CAST('${d.toISOString()}' AS TIMESTAMPTZ)`;
}

function notFound(id: number): WorkflowError {
  return new WorkflowError('NOT_FOUND', 'id', `no incident ${id} that you may see`);
}

/** The incident's own shard key as a literal: keeps the write routed to one shard on Citus. */
function shardKeyEqualsSql(incident: Incident): string {
  return `shard_key = ${sqlIntList([shardKeyOf(incident)]).slice(1, -1)}`;
}

/**
 * The optimistic lock: writes `patch` only while the row is still at `incident.version`, and
 * answers the new version, or null when another change got there first. The version read in JS
 * is checked too (assertVersion), but this guard is what holds between the read and the write.
 */
export async function updateAtVersion(tx: SqlDb, incident: Incident, patch: IncidentPatch, at: Date): Promise<number | null> {
  const params: SqlValue[] = [patch.status, patch.assignee, patch.resolution, patch.closedAt, patch.dueAt, patch.review, at, incident.id, incident.version];
  const updated = await tx.query(
    `UPDATE incident SET status = $1, assignee = $2, resolution = $3, closed_at = $4, due_at = $5, review = $6,
       version = version + 1, updated_at = $7
     WHERE id = $8 AND version = $9 AND ${shardKeyEqualsSql(incident)}
     RETURNING version`,
    params,
  );
  return updated.length ? col.number(updated[0]!, 'version') : null;
}

async function readIncident(db: SqlDb, id: number, scope: Scope): Promise<Incident | null> {
  const rows = await db.query(`SELECT i.* FROM incident i WHERE i.id = $1 AND ${incidentScopePredicate(scope)}`, [id]);
  return rows.length ? rowToIncident(rows[0]!) : null;
}

function rowToEvent(r: SqlRow): TimelineEvent {
  return {
    id: col.number(r, 'id'),
    kind: (r.kind as EventKind | null) ?? 'transition',
    at: col.date(r, 'happened_at'),
    actor: col.text(r, 'actor'),
    actorName: col.textOrNull(r, 'actor_name'),
    fromStatus: col.textOrNull(r, 'from_status') as Status | null,
    toStatus: col.text(r, 'to_status') as Status,
    note: col.textOrNull(r, 'note'),
    resolution: col.textOrNull(r, 'resolution') as Resolution | null,
  };
}

const WORK_COLUMNS = `i.id, i.kind, i.category, i.severity, i.occurred_at, i.status, i.review, i.ai_confidence, i.city_id,
  i.store_id, i.lat, i.lng, i.h3, i.assignee, i.due_at, substr(i.description, 1, 140) AS description, i.photo_urls, i.version`;

function rowToWorkItem(r: SqlRow, now: Date, soonHours: number): WorkItem {
  const status = col.text(r, 'status') as Status;
  const due = col.dateOrNull(r, 'due_at');
  return {
    ...rowToListItem(r, isOverdue(status, due, now)),
    dueSoon: isDueSoon(status, due, now, soonHours),
    version: col.number(r, 'version'),
  };
}

export class SqlWorkflowStore implements WorkflowStore {
  constructor(private readonly db: SqlDb) {}

  async transition(cmd: TransitionCommand, actor: Actor, at: Date, slaHours?: Record<Severity, number>): Promise<WorkflowResult> {
    const { id, expectedVersion, ...request } = cmd;
    // who is being assigned is looked up before the transaction: users are not part of the race
    const assigneeId = request.to === 'assigned' ? (request.assigneeId ?? actor.id) : null;
    const assignee = assigneeId === null ? undefined : await this.lookupUser(assigneeId);
    return this.change(id, actor, expectedVersion, (incident) => planTransition(actor, incident, request, at, assignee, slaHours), at);
  }

  comment(cmd: CommentCommand, actor: Actor, at: Date): Promise<WorkflowResult> {
    return this.change(cmd.id, actor, cmd.expectedVersion, (incident) => planComment(actor, incident, cmd.note), at);
  }

  review(cmd: ReviewCommand, actor: Actor, at: Date): Promise<WorkflowResult> {
    return this.change(cmd.id, actor, cmd.expectedVersion, (incident) => planReview(actor, incident, cmd.decision, cmd.note, at), at);
  }

  private async lookupUser(id: string): Promise<{ id: string; found: Pick<Actor, 'role' | 'storeIds'> | null }> {
    // One query whether or not the user exists: the answer's timing says no more than its message.
    const rows = await this.db.query(
      `SELECT u.role, us.store_id FROM app_user u LEFT JOIN user_store us ON us.user_id = u.id WHERE u.id = $1`,
      [id],
    );
    if (!rows.length) return { id, found: null };
    const storeIds = rows.filter((r) => r.store_id !== null && r.store_id !== undefined).map((r) => col.number(r, 'store_id'));
    return { id, found: { role: col.text(rows[0]!, 'role') as Actor['role'], storeIds } };
  }

  /**
   * Reads, checks and writes one change in one transaction (see the file comment on
   * concurrency). A comment (plan without patch) leaves the row and its version alone.
   *
   * DuckDB reports a write-write conflict as soon as the other writer has written, before it
   * commits, so the loser cannot yet read what won. It waits a little and runs again, now
   * expecting the version it first read: the retry then finds the winner's version and answers
   * CONFLICT with the status and version that won (or succeeds if the other writer rolled back).
   */
  private async change(
    id: number,
    actor: Actor,
    expectedVersion: number | undefined,
    plan: (incident: Incident) => ChangePlan,
    at: Date,
  ): Promise<WorkflowResult> {
    const scope = scopeForUser({ role: actor.role, storeIds: [...actor.storeIds] });
    let expected = expectedVersion;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          const incident = await readIncident(tx, id, scope);
          if (!incident) throw notFound(id);
          // a viewer hears "not allowed" rather than "stale" whatever version it sent
          assertMayWork(actor, incident);
          assertVersion(incident, expected);
          expected = incident.version;
          return this.apply(tx, incident, plan(incident), actor, at);
        });
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
        if (attempt < CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, CONFLICT_RETRY_MS * 2 ** attempt));
          continue;
        }
        const current = await readIncident(this.db, id, scope);
        throw current ? conflictError(current) : notFound(id);
      }
    }
  }

  private async apply(tx: SqlDb, incident: Incident, { patch, event }: ChangePlan, actor: Actor, at: Date): Promise<WorkflowResult> {
    let after = incident;
    if (patch) {
      const version = await updateAtVersion(tx, incident, patch, at);
      if (version === null) throw conflictError((await readIncident(tx, incident.id, { all: true })) ?? incident);
      after = { ...incident, ...patch, version, updatedAt: at };
    }
    const inserted = await tx.query(
      `INSERT INTO incident_event (incident_id, store_id, shard_key, happened_at, actor, from_status, to_status, note, kind, resolution)
       VALUES ($1, $2, $10, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [incident.id, incident.storeId, at, actor.id, event.fromStatus, event.toStatus, event.note, event.kind, event.resolution, shardKeyOf(incident)],
    );
    const names = await tx.query(`SELECT name FROM app_user WHERE id = $1`, [actor.id]);
    // last: the change feed's lock is held from here to the commit (server/store/change-feed.ts)
    if (patch) await recordUpdated(tx, incident.id, incident.storeId, { status: incident.status, review: incident.review, dueAt: incident.dueAt });
    return {
      incident: after,
      event: { id: col.number(inserted[0]!, 'id'), at, actor: actor.id, actorName: (names[0]?.name as string | undefined) ?? null, ...event },
    };
  }

  async timeline(id: number, scope: Scope): Promise<TimelineEvent[] | null> {
    const db = this.db;
    const found = await db.query(`SELECT i.id FROM incident i WHERE i.id = $1 AND ${incidentScopePredicate(scope)}`, [id]);
    if (!found.length) return null;
    const rows = await db.query(
      `SELECT e.id, e.kind, e.happened_at, e.actor, u.name AS actor_name, e.from_status, e.to_status, e.note, e.resolution
       FROM incident_event e LEFT JOIN app_user u ON u.id = e.actor
       WHERE e.incident_id = $1 ORDER BY e.happened_at, e.id`,
      [id],
    );
    return rows.map(rowToEvent);
  }

  async myWork(actor: Actor, query: MyWorkQuery): Promise<MyWork> {
    const db = this.db;
    const scope = scopeForUser({ role: actor.role, storeIds: [...actor.storeIds] });
    const soonHours = query.dueSoonHours ?? DUE_SOON_HOURS;
    const basis = actor.role === 'store_manager' ? 'stores' : 'assigned';
    const notPending = `(i.review IS NULL OR i.review <> 'pending')`;
    const workWhere = [incidentScopePredicate(scope), notFinalStatusSql('i'), notPending];
    const workParams: SqlValue[] = [];
    if (basis === 'assigned') {
      workParams.push(actor.id);
      workWhere.push(`i.assignee = $1`);
    }
    const reviewWhere = `${incidentScopePredicate(scope)} AND i.review = 'pending' AND ${notFinalStatusSql('i')}`;
    const order = `ORDER BY i.due_at ASC NULLS LAST, i.id ASC LIMIT ${Math.trunc(query.limit)}`;
    const n = workParams.length;
    const [work, workCounts, reviews, reviewCount] = await Promise.all([
      db.query(`SELECT ${WORK_COLUMNS} FROM incident i WHERE ${workWhere.join(' AND ')} ${order}`, workParams),
      db.query(
        `SELECT count(*) AS total,
                count(*) FILTER (WHERE ${overdueSql(`$${n + 1}`)}) AS overdue,
                count(*) FILTER (WHERE ${dueSoonSql(`$${n + 1}`, `$${n + 2}`)}) AS due_soon
         FROM incident i WHERE ${workWhere.join(' AND ')}`,
        [...workParams, query.now, dueSoonEnd(query.now, soonHours)],
      ),
      db.query(`SELECT ${WORK_COLUMNS} FROM incident i WHERE ${reviewWhere} ${order}`),
      db.query(`SELECT count(*) AS total FROM incident i WHERE ${reviewWhere}`),
    ]);
    return {
      basis,
      work: {
        items: work.map((r) => rowToWorkItem(r, query.now, soonHours)),
        total: col.number(workCounts[0]!, 'total'),
        overdue: col.number(workCounts[0]!, 'overdue'),
        dueSoon: col.number(workCounts[0]!, 'due_soon'),
      },
      reviews: { items: reviews.map((r) => rowToWorkItem(r, query.now, soonHours)), total: col.number(reviewCount[0]!, 'total') },
    };
  }

  async closureCounts(query: ClosureCountsQuery, scope: Scope): Promise<ClosureCounts[]> {
    if (!query.months.length) return [];
    for (const m of query.months) if (!/^\d{4}-\d{2}$/.test(m)) throw new TypeError(`not a month key: ${m}`);
    // Month boundaries per city are computed here, not per row in SQL: `AT TIME ZONE` on every
    // incident cost ~0.6 s at 200k rows on DuckDB; a range join on a few dozen bounds is cheap.
    const cities = await this.db.query(`SELECT id, tz FROM city`);
    const bounds: string[] = [];
    let first = Infinity;
    let last = -Infinity;
    for (const c of cities) {
      for (const month of query.months) {
        const start = monthStartInstant(month, col.text(c, 'tz'));
        const end = monthStartInstant(nextMonthKey(month), col.text(c, 'tz'));
        first = Math.min(first, start.getTime());
        last = Math.max(last, end.getTime());
        bounds.push(`(${sqlIntList([col.number(c, 'id')]).slice(1, -1)}, '${month}', ${timestampSql(start)}, ${timestampSql(end)})`);
      }
    }
    if (!bounds.length) return [];
    const params: SqlValue[] = [];
    const { where } = filterWhere({ filters: query.filters, scope, now: new Date(first) }, params);
    params.push(new Date(first), new Date(last));
    const [from, until] = [`$${params.length - 1}`, `$${params.length}`];
    // Closed by the end of month M: an incident never reopened reached its final state once,
    // at closed_at, so closed_at before the end of M says it. A reopened one (rare) is read from
    // its timeline: the status after its last event before the end of M (events record the
    // status they leave behind, comments and reviews included); with no event by then it falls
    // back to closed_at too. Reading every incident's timeline took ~1 s at 200k incidents.
    // One statement that every shard can answer on its own on Citus: each join pairs rows of one
    // incident by (shard_key, id), the month bounds are a VALUES list (copied with the query), and
    // the counts are sums the coordinator adds up. (Common table expressions used twice made
    // Citus ship every incident of the months to the coordinator first.)
    const months = `(VALUES ${bounds.join(', ')}) AS m (city_id, month, start_at, end_at)`;
    const inMonth = (alias: string) =>
      `m.city_id = ${alias}.city_id AND ${alias}.occurred_at >= m.start_at AND ${alias}.occurred_at < m.end_at`;
    const rows = await this.db.query(
      `SELECT b.city_id, b.store_id, b.month, count(*) AS occurred,
              count(*) FILTER (WHERE ${finalStatusSql('b')}) AS closed_now,
              count(*) FILTER (WHERE CASE WHEN a.incident_id IS NULL
                                          THEN ${finalStatusSql('b')} AND b.closed_at < b.month_end
                                          ELSE a.to_status IN ${FINAL_STATUSES_SQL} END) AS closed_by_end
       FROM (
         SELECT i.shard_key, i.id, i.city_id, i.store_id, i.status, i.closed_at, m.month, m.end_at AS month_end
         FROM incident i JOIN ${months} ON ${inMonth('i')}
         WHERE ${where} AND i.occurred_at >= ${from} AND i.occurred_at < ${until}
           AND ${confirmedIncidentSql('i')}
       ) b
       LEFT JOIN (
         SELECT DISTINCT ON (e.shard_key, e.incident_id) e.shard_key, e.incident_id, e.to_status
         FROM incident_event e
         JOIN (SELECT DISTINCT r.shard_key, r.incident_id FROM incident_event r
               WHERE r.to_status = 'open' AND r.from_status IN ${FINAL_STATUSES_SQL} AND r.happened_at >= ${from}) reopened
           ON reopened.shard_key = e.shard_key AND reopened.incident_id = e.incident_id
         JOIN incident i ON i.shard_key = e.shard_key AND i.id = e.incident_id
         JOIN ${months} ON ${inMonth('i')}
         WHERE e.happened_at < m.end_at
         ORDER BY e.shard_key, e.incident_id, e.happened_at DESC, e.id DESC
       ) a ON a.shard_key = b.shard_key AND a.incident_id = b.id
       GROUP BY b.city_id, b.store_id, b.month
       ORDER BY b.city_id, b.store_id, b.month`,
      params,
    );
    return rows.map((r) => ({
      cityId: col.number(r, 'city_id'),
      storeId: col.numberOrNull(r, 'store_id'),
      month: col.text(r, 'month'),
      occurred: col.number(r, 'occurred'),
      closedNow: col.number(r, 'closed_now'),
      closedByEnd: col.number(r, 'closed_by_end'),
    }));
  }

  async kpiCounts(filters: Filters, now: Date, scope: Scope): Promise<KpiCounts> {
    const params: SqlValue[] = [];
    const filter = filterWhere({ filters, scope, now }, params);
    const where = filter.where;
    const rows = await this.db.query(
      `SELECT count(*) AS incidents,
              count(*) FILTER (WHERE ${notFinalStatusSql('i')}) AS open,
              count(*) FILTER (WHERE ${overdueSql(filter.now())}) AS overdue,
              count(*) FILTER (WHERE i.review = 'pending') AS pending_review
       FROM incident i WHERE ${where}`,
      params,
    );
    const r = rows[0]!;
    return { incidents: col.number(r, 'incidents'), open: col.number(r, 'open'), overdue: col.number(r, 'overdue'), pendingReview: col.number(r, 'pending_review') };
  }
}
