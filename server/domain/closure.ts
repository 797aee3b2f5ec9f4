/**
 * The closure state machine (../DESIGN.md "Closure state machine") and the monthly closure rate
 * rule. Pure: no framework imports. The store runs these checks inside the transaction that
 * writes the change, on the row it has just read; the router only maps WorkflowError to tRPC.
 *
 *   open -> assigned -> in_progress -> closed        (assign, start, close)
 *   open | assigned | in_progress -> dismissed       (dismiss, reason required)
 *   closed | dismissed -> open                       (reopen, analyst or admin)
 *
 * Who: analysts and admins work every incident; store managers the incidents of their own
 * stores (everything but reopen); viewers nothing. AI detections awaiting review are reviewed
 * first (confirm keeps them in the workflow, reject dismisses them); a reopened rejected
 * detection goes back to the review queue.
 */
import type { Resolution, ReviewState, Role, Severity, Status } from './incident.js';
import { SLA_HOURS_BY_SEVERITY } from './incident.js';
import { dueAfterReopen, isFinalStatus } from './sla.js';
import { REJECT_REASON_ZH } from './glossary.js';

/** What an incident_event records: a status change, a comment, or a review decision. */
export const EVENT_KINDS = ['transition', 'comment', 'review'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const REVIEW_DECISIONS = ['confirmed', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * Quick reasons to reject an AI detection (issue 19), one tap each on a phone; `other` needs the
 * reason in words. Their words are the glossary's `REJECT_REASON_ZH` / `_EN`.
 */
export const REJECT_REASONS = ['false_detection', 'unclear_image', 'not_rider', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * The review note of a rejection: the quick reason's word (the product's language, Chinese, as
 * the timeline shows it), then any words added; for `other`, the words alone (null when none).
 */
export function rejectionNote(reason: RejectReason, note: string | undefined): string | null {
  const words = note?.trim() ?? '';
  if (reason === 'other') return words || null;
  return words ? `${REJECT_REASON_ZH[reason]}：${words}` : REJECT_REASON_ZH[reason];
}

/**
 * The decision a review event recorded, from the statuses `planReview` gives it: a rejection
 * dismisses a detection that was not final, a confirmation leaves the status as it was.
 * Null for events that are not reviews.
 */
export function reviewDecisionOf(event: { kind: EventKind; fromStatus: Status | null; toStatus: Status }): ReviewDecision | null {
  if (event.kind !== 'review') return null;
  return event.toStatus === 'dismissed' && event.fromStatus !== 'dismissed' ? 'rejected' : 'confirmed';
}

/** The edges of the state machine: from a status, the statuses it may go to. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  open: ['assigned', 'dismissed'],
  assigned: ['in_progress', 'dismissed'],
  in_progress: ['closed', 'dismissed'],
  closed: ['open'],
  dismissed: ['open'],
};

/** Roles that may change incidents at all (store managers: of their own stores only). */
export const WORKING_ROLES: readonly Role[] = ['admin', 'analyst', 'store_manager'];
/** Roles that may reopen a closed or dismissed incident. */
export const REOPEN_ROLES: readonly Role[] = ['admin', 'analyst'];

/** Longest note, reason or comment kept (a paragraph typed on a phone, not a document). */
export const MAX_NOTE_CHARS = 2000;

/** The default monthly closure-rate target (the company's 90 %); admins change it in the settings (`closureTarget`). */
export const CLOSURE_RATE_TARGET = 0.9;

export type WorkflowErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'BAD_REQUEST' | 'CONFLICT';

/**
 * A refused change. `field` names the input field at fault (the message starts with it);
 * CONFLICT carries the incident's current status and version so that the client can refresh.
 */
export class WorkflowError extends Error {
  constructor(
    readonly code: WorkflowErrorCode,
    readonly field: string,
    message: string,
    readonly current?: { status: Status; version: number },
  ) {
    super(`${field}: ${message}`);
    this.name = 'WorkflowError';
  }
}

/** The signed-in person changing an incident. */
export interface Actor {
  id: string;
  role: Role;
  storeIds: readonly number[];
}

/** What the rules need of an incident. */
export interface WorkflowIncident {
  id: number;
  status: Status;
  storeId: number | null;
  review: ReviewState | null;
  severity: Severity;
  version: number;
}

/** Whether `actor` may change incidents of `storeId` (null: an incident outside every store's area). */
export function mayWork(actor: Pick<Actor, 'role' | 'storeIds'>, storeId: number | null): boolean {
  if (actor.role === 'admin' || actor.role === 'analyst') return true;
  if (actor.role === 'store_manager') return storeId !== null && actor.storeIds.includes(storeId);
  return false;
}

/**
 * @throws WorkflowError FORBIDDEN when the actor may not change this incident at all. Callers
 * have already applied the store scope, so a store manager reaching here for another store's
 * incident is a caller bug, refused all the same.
 */
export function assertMayWork(actor: Actor, incident: WorkflowIncident): void {
  if (!WORKING_ROLES.includes(actor.role)) {
    throw new WorkflowError('FORBIDDEN', 'id', `a ${actor.role} may not change incidents`);
  }
  if (!mayWork(actor, incident.storeId)) {
    throw new WorkflowError('FORBIDDEN', 'id', `incident ${incident.id} is not of a store you manage`);
  }
}

/** @throws WorkflowError CONFLICT when the incident changed since the caller read it. */
export function assertVersion(incident: WorkflowIncident, expectedVersion: number | undefined): void {
  if (expectedVersion === undefined || expectedVersion === incident.version) return;
  throw conflictError(incident);
}

export function conflictError(incident: Pick<WorkflowIncident, 'id' | 'status' | 'version'>): WorkflowError {
  return new WorkflowError(
    'CONFLICT',
    'expectedVersion',
    `incident ${incident.id} was changed by someone else; it is now ${incident.status} at version ${incident.version}. Reload it and try again.`,
    { status: incident.status, version: incident.version },
  );
}

/**
 * The steps from `from` to closed along the state machine, for the one-step close of a work list
 * (open -> assigned -> in_progress -> closed). Each step is still a transition of its own, so
 * the timeline records the way as before.
 * @throws WorkflowError BAD_REQUEST when the incident cannot be closed from `from` (closed, dismissed)
 */
export function pathToClosed(from: Status): Status[] {
  if (from === 'closed' || from === 'dismissed') throw new WorkflowError('BAD_REQUEST', 'id', `the incident is ${from} already`);
  const path: Status[] = [];
  let at: Status = from;
  while (at !== 'closed') {
    // the forward step: the first transition that is neither a dismissal nor a reopen
    const next: Status | undefined = TRANSITIONS[at].find((to) => to !== 'dismissed' && to !== 'open');
    if (!next) throw new WorkflowError('BAD_REQUEST', 'id', `the incident is ${at}; it cannot be closed`);
    path.push(next);
    at = next;
  }
  return path;
}

/** The statuses `actor` may move the incident to now, for the detail panel's buttons. */
export function allowedTransitions(actor: Actor, incident: WorkflowIncident): Status[] {
  if (!WORKING_ROLES.includes(actor.role) || !mayWork(actor, incident.storeId)) return [];
  if (incident.review === 'pending') return [];
  return TRANSITIONS[incident.status].filter((to) => to !== 'open' || REOPEN_ROLES.includes(actor.role));
}

/** Whether `actor` may confirm or reject the detection now. */
export function mayReview(actor: Actor, incident: WorkflowIncident): boolean {
  return WORKING_ROLES.includes(actor.role) && mayWork(actor, incident.storeId) && incident.review === 'pending';
}

export interface TransitionRequest {
  to: Status;
  note?: string;
  resolution?: Resolution;
  assigneeId?: string;
  reason?: string;
}

/** The incident columns a change sets (the store also bumps version and updated_at). */
export interface IncidentPatch {
  status: Status;
  assignee: string | null;
  resolution: Resolution | null;
  closedAt: Date | null;
  dueAt: Date | null;
  review: ReviewState | null;
}

export interface PlannedEvent {
  kind: EventKind;
  fromStatus: Status;
  toStatus: Status;
  note: string | null;
  resolution: Resolution | null;
}

export interface ChangePlan {
  /** null: the incident row stays as it is (a comment). */
  patch: IncidentPatch | null;
  event: PlannedEvent;
}

/** The incident's current values of the patchable columns. */
export interface PatchableIncident extends WorkflowIncident {
  assignee: string | null;
  resolution: Resolution | null;
  closedAt: Date | null;
  dueAt: Date | null;
}

/** The user named by `assigneeId` (or the actor when absent), as the store found it. */
export type AssigneeLookup = { id: string; found: Pick<Actor, 'role' | 'storeIds'> | null };

function clean(text: string | undefined): string | null {
  const t = text?.trim();
  return t ? t : null;
}

function badRequest(field: string, message: string): WorkflowError {
  return new WorkflowError('BAD_REQUEST', field, message);
}

/**
 * Plans a status change: checks the edge, the role, the review state and the fields the edge
 * needs, and says what to write. Fields that do not belong to the edge are refused rather than
 * silently ignored (a resolution sent with a dismissal is a client bug).
 * `assignee` is required for `to: 'assigned'`.
 * @throws WorkflowError BAD_REQUEST (naming the field) or FORBIDDEN
 */
export function planTransition(
  actor: Actor,
  incident: PatchableIncident,
  request: TransitionRequest,
  at: Date,
  assignee?: AssigneeLookup,
  slaHours: Record<Severity, number> = SLA_HOURS_BY_SEVERITY,
): ChangePlan {
  assertMayWork(actor, incident);
  const { to } = request;
  const from = incident.status;
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from].join(' or ');
    throw badRequest('to', `incident ${incident.id} is ${from}; it can go to ${allowed}, not ${to}`);
  }
  if (to === 'open' && !REOPEN_ROLES.includes(actor.role)) {
    throw new WorkflowError('FORBIDDEN', 'to', `reopening needs role ${REOPEN_ROLES.join(' or ')}`);
  }
  if (incident.review === 'pending') {
    throw badRequest('to', `incident ${incident.id} is an AI detection awaiting review; confirm or reject it first`);
  }
  if (request.resolution !== undefined && to !== 'closed') throw badRequest('resolution', 'is only given when closing');
  if (request.reason !== undefined && to !== 'dismissed') throw badRequest('reason', 'is only given when dismissing');
  if (request.assigneeId !== undefined && to !== 'assigned') throw badRequest('assigneeId', 'is only given when assigning');

  const note = clean(request.note);
  const patch: IncidentPatch = {
    status: to,
    assignee: incident.assignee,
    resolution: incident.resolution,
    closedAt: incident.closedAt,
    dueAt: incident.dueAt,
    review: incident.review,
  };
  const event: PlannedEvent = { kind: 'transition', fromStatus: from, toStatus: to, note, resolution: null };

  switch (to) {
    case 'assigned': {
      if (!assignee) throw new Error('planTransition: the assignee lookup is required when assigning');
      // One answer for "no such user" and "may not work here": a store manager must not learn
      // from it which user ids exist (issue 11).
      if (!assignee.found || !WORKING_ROLES.includes(assignee.found.role) || !mayWork(assignee.found, incident.storeId)) {
        throw badRequest('assigneeId', `${assignee.id} is not a user who may work incidents of this store`);
      }
      patch.assignee = assignee.id;
      break;
    }
    case 'in_progress':
      // someone starting work on an unassigned incident takes it
      patch.assignee ??= actor.id;
      break;
    case 'closed':
      if (request.resolution === undefined) throw badRequest('resolution', 'a resolution code is required to close');
      if (note === null) throw badRequest('note', 'a note saying what was done is required to close');
      patch.resolution = request.resolution;
      patch.closedAt = at;
      event.resolution = request.resolution;
      break;
    case 'dismissed': {
      const reason = clean(request.reason);
      if (reason === null) throw badRequest('reason', 'a reason is required to dismiss');
      patch.closedAt = at;
      patch.resolution = null;
      event.note = note === null ? reason : `${reason}\n${note}`;
      break;
    }
    case 'open':
      // reopen: work starts over (sla.ts explains the new due time)
      patch.assignee = null;
      patch.resolution = null;
      patch.closedAt = null;
      patch.dueAt = dueAfterReopen(at, incident.severity, slaHours);
      if (incident.review === 'rejected') patch.review = 'pending';
      break;
  }
  return { patch, event };
}

/**
 * Plans a review decision on an AI detection awaiting review. Rejecting dismisses it (the note
 * is the reason, required); confirming keeps its status and puts it into the workflow.
 * @throws WorkflowError BAD_REQUEST (naming the field) or FORBIDDEN
 */
export function planReview(
  actor: Actor,
  incident: PatchableIncident,
  decision: ReviewDecision,
  noteText: string | undefined,
  at: Date,
): ChangePlan {
  assertMayWork(actor, incident);
  if (incident.review !== 'pending') {
    const what = incident.review === null ? 'is not an AI detection' : `was already ${incident.review}`;
    throw badRequest('decision', `incident ${incident.id} ${what}; only detections awaiting review are reviewed`);
  }
  const note = clean(noteText);
  const from = incident.status;
  if (decision === 'confirmed') {
    return {
      patch: { ...pickPatch(incident), review: 'confirmed' },
      event: { kind: 'review', fromStatus: from, toStatus: from, note, resolution: null },
    };
  }
  if (note === null) throw badRequest('note', 'a reason is required to reject a detection');
  if (isFinalStatus(from)) throw badRequest('decision', `incident ${incident.id} is already ${from}`);
  return {
    patch: { ...pickPatch(incident), review: 'rejected', status: 'dismissed', closedAt: at, resolution: null },
    event: { kind: 'review', fromStatus: from, toStatus: 'dismissed', note, resolution: null },
  };
}

/**
 * Plans a comment: a timeline entry that leaves the incident as it is.
 * @throws WorkflowError BAD_REQUEST (naming the field) or FORBIDDEN
 */
export function planComment(actor: Actor, incident: PatchableIncident, noteText: string): ChangePlan {
  assertMayWork(actor, incident);
  const note = clean(noteText);
  if (note === null) throw badRequest('note', 'a comment needs some text');
  return { patch: null, event: { kind: 'comment', fromStatus: incident.status, toStatus: incident.status, note, resolution: null } };
}

function pickPatch(i: PatchableIncident): IncidentPatch {
  return { status: i.status, assignee: i.assignee, resolution: i.resolution, closedAt: i.closedAt, dueAt: i.dueAt, review: i.review };
}

// The two closure measures. They differ on purpose; keep their names apart.
//
// - The monthly closure rate (the KPI, ../DESIGN.md "Monthly closure rate"): of the incidents that
//   occurred in a period, the share closed or dismissed, where rejected AI detections and pending
//   reviews are left out of both counts (only `isConfirmedIncident` ones count). Stats, the ranking, the
//   KPI cards and the morning cards show it against the target in the settings.
// - A cell's share closed (the map's `closure` metric and the hexbin export's `share_closed`): of
//   the incidents the filter counts in one hexagon, the share closed or dismissed. The filter's
//   default leaves rejected detections out but counts pending ones, so it is not the KPI.

/**
 * Not an AI detection, or a confirmed one: the incidents the monthly closure rate counts (and the
 * escalation of overdue work and the countermeasure before/after counts).
 */
export function isConfirmedIncident(review: ReviewState | null): boolean {
  return review === null || review === 'confirmed';
}

/** SQL of isConfirmedIncident for the incident table's `alias` ('' for an unqualified column). */
export function confirmedIncidentSql(alias = 'i'): string {
  const review = alias ? `${alias}.review` : 'review';
  return `(${review} IS NULL OR ${review} = 'confirmed')`;
}

/**
 * The monthly closure rate (the KPI): `closed` / `occurred`, both counted over the incidents
 * that isConfirmedIncident; null for a period without such incidents (a rate of nothing is
 * not 0 %). A fraction 0..1, compared with the settings' `closureTarget`.
 */
export function monthlyClosureRate(closed: number, occurred: number): number | null {
  return occurred > 0 ? closed / occurred : null;
}

/**
 * A cell's share closed (the map metric): `closed` / `count` of the incidents a filter counts in
 * one hexagon, pending AI detections included; null for an empty cell. A fraction 0..1. Not the
 * KPI: see monthlyClosureRate.
 */
export function cellShareClosed(closed: number, count: number): number | null {
  return count > 0 ? closed / count : null;
}

/** `YYYY-MM` of the calendar month containing `at` in the IANA zone `tz`. */
export function instantToMonthKey(at: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')!.value;
  const month = parts.find((p) => p.type === 'month')!.value;
  return `${year}-${month}`;
}

/** The `count` month keys ending with `last`, oldest first. */
export function monthKeysEndingAt(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const keys: string[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const index = y * 12 + (m - 1) - k;
    keys.push(`${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return keys;
}

/** One (store, month) count of the closure rate, as the store computes it. */
export interface ClosureCell {
  cityId: number;
  /** null: the incidents of the city outside every store's area. */
  storeId: number | null;
  month: string;
  occurred: number;
  closedNow: number;
  closedByEnd: number;
}

export const CLOSURE_SCOPE_LEVELS = ['all', 'city', 'store'] as const;
export type ClosureScopeLevel = (typeof CLOSURE_SCOPE_LEVELS)[number];

/** One scope's monthly series, columnar: index k of each array is months[k]. */
export interface ClosureSeries {
  level: ClosureScopeLevel;
  /** The city's or store's id; null for `all` and for a city's incidents outside every store. */
  id: number | null;
  /** The city of a city or store series; null for `all`. */
  cityId: number | null;
  occurred: number[];
  closedNow: number[];
  closedByEnd: number[];
  /** null where occurred is 0. */
  rateNow: (number | null)[];
  rateByEnd: (number | null)[];
}

/**
 * Sums (store, month) cells into monthly series per scope level. `all` always has its one
 * series (zeros when nothing occurred); city and store levels have one per city or store with
 * incidents in the window, a city's store-less incidents as a store series with id null.
 * Cells of months outside `months` are ignored.
 */
export function closureSeries(cells: readonly ClosureCell[], months: readonly string[], level: ClosureScopeLevel): ClosureSeries[] {
  const monthIndex = new Map(months.map((m, k) => [m, k]));
  const byKey = new Map<string, ClosureSeries>();
  const blank = (id: number | null, cityId: number | null): ClosureSeries => ({
    level,
    id,
    cityId,
    occurred: months.map(() => 0),
    closedNow: months.map(() => 0),
    closedByEnd: months.map(() => 0),
    rateNow: [],
    rateByEnd: [],
  });
  if (level === 'all') byKey.set('all', blank(null, null));
  for (const cell of cells) {
    const k = monthIndex.get(cell.month);
    if (k === undefined) continue;
    const key = level === 'all' ? 'all' : level === 'city' ? `c${cell.cityId}` : `s${cell.cityId}:${cell.storeId}`;
    let series = byKey.get(key);
    if (!series) {
      series = level === 'city' ? blank(cell.cityId, cell.cityId) : blank(cell.storeId, cell.cityId);
      byKey.set(key, series);
    }
    series.occurred[k]! += cell.occurred;
    series.closedNow[k]! += cell.closedNow;
    series.closedByEnd[k]! += cell.closedByEnd;
  }
  return [...byKey.values()].map((s) => ({
    ...s,
    rateNow: s.occurred.map((n, k) => monthlyClosureRate(s.closedNow[k]!, n)),
    rateByEnd: s.occurred.map((n, k) => monthlyClosureRate(s.closedByEnd[k]!, n)),
  }));
}

/**
 * The months of a closure-rate query: `count` calendar months ending with the month of `now`,
 * oldest first. With several zones the current month is the latest of theirs.
 */
export function closureMonths(now: Date, count: number, zones: readonly string[]): string[] {
  const current = (zones.length ? zones : ['UTC']).map((tz) => instantToMonthKey(now, tz)).sort().at(-1)!;
  return monthKeysEndingAt(current, count);
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** How far the wall clock of `tz` is ahead of UTC at `at`, in ms (+8 h for Asia/Shanghai). */
export function zoneOffsetMs(at: Date, tz: string): number {
  let format = wallClockFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(tz, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(part.year), Number(part.month) - 1, Number(part.day), Number(part.hour), Number(part.minute), Number(part.second));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant month `key` (`YYYY-MM`) begins in `tz`: local midnight of its first day. */
export function monthStartInstant(key: string, tz: string): Date {
  const [y, m] = key.split('-').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, 1);
  // the offset at the guess may differ from the one at the answer across a DST change: look twice
  const guess = wall - zoneOffsetMs(new Date(wall), tz);
  return new Date(wall - zoneOffsetMs(new Date(guess), tz));
}

/** The key of the month after `key`. */
export function nextMonthKey(key: string): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}
