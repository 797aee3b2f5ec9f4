/**
 * SLA rules (../DESIGN.md "SLA"). Pure: no framework imports. The hours per severity and the
 * first due time (`dueAt`: occurrence plus the severity's hours) live in ./incident.ts, where
 * the demo generator and the importers already take them from.
 *
 * How `due_at` moves through the closure state machine:
 * - created: occurrence + SLA hours of the severity;
 * - assign, start, close, dismiss, comment, review: unchanged (overdue only ever counts
 *   incidents that are not closed or dismissed, so a final incident needs no due time change);
 * - reopen: the clock restarts, due = reopen time + SLA hours. A reopened incident is new work
 *   for the store; keeping the original due time would make it overdue the moment it reopens,
 *   which says nothing about how the store handles it. The original due time stays readable
 *   in the timeline (the events before the reopen).
 */
import type { Severity, Status } from './incident.js';
import { dueAt, FINAL_STATUSES, SLA_HOURS_BY_SEVERITY } from './incident.js';

/** An open incident due within this many hours is "due soon" in the store manager's list. */
export const DUE_SOON_HOURS = 24;

const HOUR_MS = 3_600_000;

/** Due time after a reopen at `reopenedAt`: the severity's full SLA again. */
export function dueAfterReopen(reopenedAt: Date, severity: Severity, slaHours = SLA_HOURS_BY_SEVERITY): Date {
  return dueAt(reopenedAt, severity, slaHours);
}

export function isFinalStatus(status: Status): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Overdue: not closed or dismissed, and past due at `now`. An incident without a due time never is. */
export function isOverdue(status: Status, due: Date | null, now: Date): boolean {
  return !isFinalStatus(status) && due !== null && due.getTime() < now.getTime();
}

/** Not final, not yet overdue, and due within `hours` of `now`. */
export function isDueSoon(status: Status, due: Date | null, now: Date, hours = DUE_SOON_HOURS): boolean {
  if (isFinalStatus(status) || due === null) return false;
  const left = due.getTime() - now.getTime();
  return left >= 0 && left < hours * HOUR_MS;
}

// The SQL twins of the predicates above: the same rules for the store's WHERE and FILTER
// clauses, built from FINAL_STATUSES so that SQL and TypeScript cannot disagree. Plain strings
// (no driver import): `alias` is the incident table's alias ('' for an unqualified column),
// `now` and `soonEnd` are placeholders or SQL expressions the caller binds.

/** FINAL_STATUSES as an SQL list: `('closed', 'dismissed')`. */
export const FINAL_STATUSES_SQL = `(${FINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`;

const column = (alias: string, name: string) => (alias ? `${alias}.${name}` : name);

/**
 * SQL of isFinalStatus: the incident is closed or dismissed. `statusType`: the column's ENUM type
 * when it is one (DuckDB's `incident_status`): the list is then of that type's literals, so the
 * engine compares enum values instead of casting every row's status to text (issue 12).
 */
export function finalStatusSql(alias = 'i', statusType?: string): string {
  return `${column(alias, 'status')} IN ${finalStatusesSql(statusType)}`;
}

function finalStatusesSql(statusType?: string): string {
  return statusType ? `(${FINAL_STATUSES.map((s) => `CAST('${s}' AS ${statusType})`).join(', ')})` : FINAL_STATUSES_SQL;
}

/** SQL of `!isFinalStatus`: the incident is still open work. `statusType`: as finalStatusSql. */
export function notFinalStatusSql(alias = 'i', statusType?: string): string {
  return `${column(alias, 'status')} NOT IN ${finalStatusesSql(statusType)}`;
}

/** SQL of isOverdue at `now` (a NULL due time is never overdue: the comparison is NULL). */
export function overdueSql(now: string, alias = 'i', statusType?: string): string {
  return `(${notFinalStatusSql(alias, statusType)} AND ${column(alias, 'due_at')} < ${now})`;
}

/** SQL of isDueSoon at `now`, where `soonEnd` is `now` plus the due-soon hours. */
export function dueSoonSql(now: string, soonEnd: string, alias = 'i'): string {
  return `(${notFinalStatusSql(alias)} AND ${column(alias, 'due_at')} >= ${now} AND ${column(alias, 'due_at')} < ${soonEnd})`;
}

/** The end of the due-soon window that starts at `now` (the `soonEnd` of dueSoonSql). */
export function dueSoonEnd(now: Date, hours = DUE_SOON_HOURS): Date {
  return new Date(now.getTime() + hours * HOUR_MS);
}
