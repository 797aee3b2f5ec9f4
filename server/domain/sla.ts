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
