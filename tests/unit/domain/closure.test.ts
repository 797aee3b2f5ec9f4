/**
 * The pure closure rules: every (from, to, role, own store) combination against the design's
 * table, the fields each edge needs, reviews, comments, SLA after a reopen, and the month
 * arithmetic of the closure rate.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, PatchableIncident } from '../../../server/domain/closure.js';
import {
  allowedTransitions,
  assertVersion,
  cellShareClosed,
  closureSeries,
  confirmedIncidentSql,
  isConfirmedIncident,
  monthlyClosureRate,
  zoneOffsetMs,
  closureMonths,
  instantToMonthKey,
  mayReview,
  monthKeysEndingAt,
  monthStartInstant,
  nextMonthKey,
  pathToClosed,
  planComment,
  planReview,
  planTransition,
  rejectionNote,
  reviewDecisionOf,
  WorkflowError,
} from '../../../server/domain/closure.js';
import type { Role, Status } from '../../../server/domain/incident.js';
import { ROLES, STATUSES } from '../../../server/domain/incident.js';
import { isDueSoon, isOverdue } from '../../../server/domain/sla.js';

const OWN = 7;
const OTHER = 8;
const AT = new Date('2026-03-10T02:00:00Z');

const actor = (role: Role): Actor => ({ id: `u-${role}`, role, storeIds: role === 'store_manager' || role === 'viewer' ? [OWN] : [] });

function incidentIn(status: Status, storeId: number | null = OWN, extra: Partial<PatchableIncident> = {}): PatchableIncident {
  const final = status === 'closed' || status === 'dismissed';
  return {
    id: 1,
    status,
    storeId,
    review: null,
    severity: 3,
    version: 4,
    assignee: status === 'open' ? null : 'u-analyst',
    resolution: status === 'closed' ? 'rider_coached' : null,
    closedAt: final ? new Date('2026-03-09T00:00:00Z') : null,
    dueAt: new Date('2026-03-11T00:00:00Z'),
    ...extra,
  };
}

/** The design's edges, written out on their own. */
const EDGES: ReadonlyArray<readonly [Status, Status]> = [
  ['open', 'assigned'],
  ['assigned', 'in_progress'],
  ['in_progress', 'closed'],
  ['open', 'dismissed'],
  ['assigned', 'dismissed'],
  ['in_progress', 'dismissed'],
  ['closed', 'open'],
  ['dismissed', 'open'],
];

function outcome(from: Status, to: Status, role: Role, own: boolean): string {
  if (role === 'viewer') return 'FORBIDDEN id';
  if (role === 'store_manager' && !own) return 'FORBIDDEN id';
  if (!EDGES.some(([f, t]) => f === from && t === to)) return 'BAD_REQUEST to';
  if (to === 'open' && role === 'store_manager') return 'FORBIDDEN to';
  return 'OK';
}

function fieldsFor(to: Status) {
  if (to === 'closed') return { resolution: 'other' as const, note: 'fixed' };
  if (to === 'dismissed') return { reason: 'duplicate' };
  return {};
}

function attempt(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (error) {
    if (error instanceof WorkflowError) return `${error.code} ${error.field}`;
    throw error;
  }
}

describe('planTransition', () => {
  const cases = STATUSES.flatMap((from) => STATUSES.flatMap((to) => ROLES.flatMap((role) => [true, false].map((own) => ({ from, to, role, own })))));

  it.each(cases)('$from -> $to by $role (own store: $own)', ({ from, to, role, own }) => {
    const incident = incidentIn(from, own ? OWN : OTHER);
    const assignee = { id: actor(role).id, found: actor(role) };
    expect(attempt(() => planTransition(actor(role), incident, { to, ...fieldsFor(to) }, AT, assignee))).toBe(outcome(from, to, role, own));
    const shown = allowedTransitions(actor(role), incident).includes(to);
    expect(shown).toBe(outcome(from, to, role, own) === 'OK');
  });

  it('sets what each edge demands', () => {
    const analyst = actor('analyst');
    const manager = actor('store_manager');
    const assigned = planTransition(analyst, incidentIn('open'), { to: 'assigned', assigneeId: 'u-store_manager' }, AT, { id: 'u-store_manager', found: manager });
    expect(assigned.patch).toMatchObject({ status: 'assigned', assignee: 'u-store_manager' });
    const closed = planTransition(manager, incidentIn('in_progress'), { to: 'closed', resolution: 'route_changed', note: ' new route ' }, AT);
    expect(closed.patch).toMatchObject({ status: 'closed', resolution: 'route_changed', closedAt: AT });
    expect(closed.event).toEqual({ kind: 'transition', fromStatus: 'in_progress', toStatus: 'closed', note: 'new route', resolution: 'route_changed' });
    const dismissed = planTransition(manager, incidentIn('assigned'), { to: 'dismissed', reason: 'duplicate', note: 'see #12' }, AT);
    expect(dismissed.patch).toMatchObject({ status: 'dismissed', closedAt: AT, resolution: null });
    expect(dismissed.event.note).toBe('duplicate\nsee #12');
    const reopened = planTransition(analyst, incidentIn('closed'), { to: 'open' }, AT);
    // reopening restarts the SLA: severity 3 has 48 hours
    expect(reopened.patch).toEqual({ status: 'open', assignee: null, resolution: null, closedAt: null, dueAt: new Date('2026-03-12T02:00:00Z'), review: null });
  });

  it.each([
    ['close without resolution', 'in_progress', { to: 'closed', note: 'x' }, 'BAD_REQUEST resolution'],
    ['close with an empty note', 'in_progress', { to: 'closed', resolution: 'other', note: ' \n ' }, 'BAD_REQUEST note'],
    ['dismiss without reason', 'open', { to: 'dismissed' }, 'BAD_REQUEST reason'],
    ['resolution outside a close', 'open', { to: 'dismissed', reason: 'x', resolution: 'other' }, 'BAD_REQUEST resolution'],
    ['reason outside a dismissal', 'in_progress', { to: 'closed', resolution: 'other', note: 'x', reason: 'x' }, 'BAD_REQUEST reason'],
    ['assignee outside an assignment', 'assigned', { to: 'in_progress', assigneeId: 'u-analyst' }, 'BAD_REQUEST assigneeId'],
  ] as const)('refuses %s', (_label, from, request, expected) => {
    expect(attempt(() => planTransition(actor('analyst'), incidentIn(from), request, AT))).toBe(expected);
  });

  it('assigns only to people who may work the store', () => {
    const open = incidentIn('open');
    const plan = (found: Actor | null) => attempt(() => planTransition(actor('analyst'), open, { to: 'assigned', assigneeId: 'x' }, AT, { id: 'x', found }));
    expect(plan(null)).toBe('BAD_REQUEST assigneeId');
    expect(plan(actor('viewer'))).toBe('BAD_REQUEST assigneeId');
    expect(plan({ id: 'x', role: 'store_manager', storeIds: [OTHER] })).toBe('BAD_REQUEST assigneeId');
    expect(plan(actor('store_manager'))).toBe('OK');
  });

  it('keeps AI detections awaiting review out of the workflow until reviewed', () => {
    const pending = incidentIn('open', OWN, { review: 'pending' });
    expect(attempt(() => planTransition(actor('analyst'), pending, { to: 'dismissed', reason: 'x' }, AT))).toBe('BAD_REQUEST to');
    expect(allowedTransitions(actor('analyst'), pending)).toEqual([]);
    expect(mayReview(actor('store_manager'), pending)).toBe(true);
    expect(mayReview(actor('viewer'), pending)).toBe(false);
    expect(mayReview(actor('analyst'), incidentIn('open'))).toBe(false);
  });

  it('sends a reopened rejected detection back to review', () => {
    const rejected = incidentIn('dismissed', OWN, { review: 'rejected' });
    expect(planTransition(actor('admin'), rejected, { to: 'open' }, AT).patch!.review).toBe('pending');
  });
});

describe('planReview and planComment', () => {
  const pending = incidentIn('open', OWN, { review: 'pending' });

  it('confirms into the workflow and rejects into dismissed with a reason', () => {
    const confirmed = planReview(actor('store_manager'), pending, 'confirmed', undefined, AT);
    expect(confirmed.patch).toMatchObject({ review: 'confirmed', status: 'open', closedAt: null });
    expect(confirmed.event).toMatchObject({ kind: 'review', fromStatus: 'open', toStatus: 'open' });
    const rejected = planReview(actor('analyst'), pending, 'rejected', 'a shadow', AT);
    expect(rejected.patch).toMatchObject({ review: 'rejected', status: 'dismissed', closedAt: AT });
    expect(rejected.event).toMatchObject({ kind: 'review', toStatus: 'dismissed', note: 'a shadow' });
  });

  it.each([
    ['a rejection without reason', actor('analyst'), pending, 'rejected', ' ', 'BAD_REQUEST note'],
    ['an incident that is no detection', actor('analyst'), incidentIn('open'), 'confirmed', undefined, 'BAD_REQUEST decision'],
    ['a detection already reviewed', actor('analyst'), incidentIn('open', OWN, { review: 'confirmed' }), 'rejected', 'x', 'BAD_REQUEST decision'],
    ['a viewer', actor('viewer'), pending, 'confirmed', undefined, 'FORBIDDEN id'],
    ["another store's manager", actor('store_manager'), incidentIn('open', OTHER, { review: 'pending' }), 'confirmed', undefined, 'FORBIDDEN id'],
  ] as const)('refuses %s', (_label, who, incident, decision, note, expected) => {
    expect(attempt(() => planReview(who, incident, decision, note, AT))).toBe(expected);
  });

  it('reads the decision back from the event planReview plans, also for a detection dismissed before its review', () => {
    const confirm = (i: PatchableIncident) => reviewDecisionOf(planReview(actor('analyst'), i, 'confirmed', undefined, AT).event);
    const reject = (i: PatchableIncident) => reviewDecisionOf(planReview(actor('analyst'), i, 'rejected', 'x', AT).event);
    expect(confirm(pending)).toBe('confirmed');
    expect(reject(pending)).toBe('rejected');
    expect(reject(incidentIn('in_progress', OWN, { review: 'pending' }))).toBe('rejected');
    expect(confirm(incidentIn('dismissed', OWN, { review: 'pending' }))).toBe('confirmed');
    expect(reviewDecisionOf({ kind: 'transition', fromStatus: 'open', toStatus: 'dismissed' })).toBeNull();
    expect(reviewDecisionOf({ kind: 'comment', fromStatus: 'open', toStatus: 'open' })).toBeNull();
  });

  it('writes a quick reason as its word, with any words added; other is the words alone', () => {
    expect(rejectionNote('false_detection', undefined)).toBe('误检');
    expect(rejectionNote('unclear_image', '  ')).toBe('图片不清');
    expect(rejectionNote('not_rider', '是行人')).toBe('非骑手：是行人');
    expect(rejectionNote('other', ' 拍到的是广告牌 ')).toBe('拍到的是广告牌');
    expect(rejectionNote('other', ' ')).toBeNull();
  });

  it('comments without changing the incident, and never empty', () => {
    expect(planComment(actor('store_manager'), incidentIn('assigned'), ' ok ')).toEqual({
      patch: null,
      event: { kind: 'comment', fromStatus: 'assigned', toStatus: 'assigned', note: 'ok', resolution: null },
    });
    expect(attempt(() => planComment(actor('analyst'), incidentIn('open'), '  '))).toBe('BAD_REQUEST note');
    expect(attempt(() => planComment(actor('viewer'), incidentIn('open'), 'hi'))).toBe('FORBIDDEN id');
  });
});

describe('SLA', () => {
  const now = new Date('2026-03-10T00:00:00Z');
  it.each([
    ['open', '2026-03-09T23:59:59Z', true, false],
    ['assigned', '2026-03-10T05:00:00Z', false, true],
    ['in_progress', '2026-03-11T00:00:00Z', false, false],
    ['closed', '2026-03-01T00:00:00Z', false, false],
    ['dismissed', '2026-03-10T01:00:00Z', false, false],
  ] as const)('%s due %s: overdue %s, due soon %s', (status, due, overdue, soon) => {
    expect(isOverdue(status, new Date(due), now)).toBe(overdue);
    expect(isDueSoon(status, new Date(due), now)).toBe(soon);
  });
  it('never calls an incident without a due time overdue', () => {
    expect(isOverdue('open', null, now)).toBe(false);
  });
});

describe('closure-rate months', () => {
  it.each([
    ['2024-01-31T17:30:00Z', 'Asia/Shanghai', '2024-02'],
    ['2024-01-31T17:30:00Z', 'UTC', '2024-01'],
    ['2024-03-01T04:59:00Z', 'America/New_York', '2024-02'],
    ['2023-12-31T16:00:00Z', 'Asia/Shanghai', '2024-01'],
  ])('%s is in %s month %s', (at, tz, key) => {
    expect(instantToMonthKey(new Date(at), tz)).toBe(key);
  });

  it('counts months back across years', () => {
    expect(monthKeysEndingAt('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthKeysEndingAt('2026-02', 1)).toEqual(['2026-02']);
  });

  it('ends the months with the current month of the zone furthest ahead', () => {
    expect(closureMonths(new Date('2026-02-28T17:00:00Z'), 3, ['Asia/Shanghai', 'UTC'])).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(closureMonths(new Date('2026-02-28T17:00:00Z'), 2, ['UTC'])).toEqual(['2026-01', '2026-02']);
  });

  it.each([
    ['2024-02', 'Asia/Shanghai', '2024-01-31T16:00:00.000Z'],
    ['2024-02', 'UTC', '2024-02-01T00:00:00.000Z'],
    ['2026-01', 'America/New_York', '2026-01-01T05:00:00.000Z'],
    ['2026-04', 'America/New_York', '2026-04-01T04:00:00.000Z'],
    ['2026-11', 'Pacific/Kiritimati', '2026-10-31T10:00:00.000Z'],
  ])('month %s begins in %s at %s', (key, tz, iso) => {
    expect(monthStartInstant(key, tz).toISOString()).toBe(iso);
    // and that instant is the first of the month there, a second earlier the month before
    expect(instantToMonthKey(new Date(iso), tz)).toBe(key);
    expect(instantToMonthKey(new Date(Date.parse(iso) - 1000), tz)).not.toBe(key);
  });

  it('steps to the next month across years', () => {
    expect([nextMonthKey('2025-12'), nextMonthKey('2026-01'), nextMonthKey('2026-09')]).toEqual(['2026-01', '2026-02', '2026-10']);
  });

  it('sums cells into series per level, with null rates for empty months', () => {
    const cells = [
      { cityId: 1, storeId: 10, month: '2026-01', occurred: 4, closedNow: 3, closedByEnd: 2 },
      { cityId: 1, storeId: 11, month: '2026-01', occurred: 6, closedNow: 6, closedByEnd: 5 },
      { cityId: 2, storeId: null, month: '2026-02', occurred: 2, closedNow: 1, closedByEnd: 1 },
      { cityId: 2, storeId: 20, month: '2025-06', occurred: 9, closedNow: 9, closedByEnd: 9 },
    ];
    const months = ['2026-01', '2026-02'];
    expect(closureSeries(cells, months, 'all')).toEqual([
      { level: 'all', id: null, cityId: null, occurred: [10, 2], closedNow: [9, 1], closedByEnd: [7, 1], rateNow: [0.9, 0.5], rateByEnd: [0.7, 0.5] },
    ]);
    expect(closureSeries(cells, months, 'city').map((s) => [s.id, s.occurred, s.rateNow])).toEqual([
      [1, [10, 0], [0.9, null]],
      [2, [0, 2], [null, 0.5]],
    ]);
    expect(closureSeries(cells, months, 'store').map((s) => [s.cityId, s.id, s.occurred])).toEqual([
      [1, 10, [4, 0]],
      [1, 11, [6, 0]],
      [2, null, [0, 2]],
    ]);
    expect(closureSeries([], months, 'all')[0]!.rateNow).toEqual([null, null]);
  });
});

describe('pathToClosed', () => {
  it.each([
    ['open', ['assigned', 'in_progress', 'closed']],
    ['assigned', ['in_progress', 'closed']],
    ['in_progress', ['closed']],
  ] as const)('from %s', (from, path) => {
    expect(pathToClosed(from)).toEqual(path);
  });
  it.each(['closed', 'dismissed'] as const)('refuses %s', (from) => {
    expect(() => pathToClosed(from)).toThrow(WorkflowError);
  });
});

/** The message of the WorkflowError `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof WorkflowError) return error.message;
    throw error;
  }
  throw new Error('no WorkflowError');
}

describe('what a refusal says', () => {
  it('starts with the field and says what is allowed instead', () => {
    const analyst = actor('analyst');
    expect(messageOf(() => planTransition(analyst, incidentIn('open'), { to: 'closed', resolution: 'other', note: 'x' }, AT))).toBe(
      'to: incident 1 is open; it can go to assigned or dismissed, not closed',
    );
    expect(messageOf(() => planTransition(analyst, incidentIn('closed'), { to: 'dismissed', reason: 'x' }, AT))).toBe(
      'to: incident 1 is closed; it can go to open, not dismissed',
    );
    expect(messageOf(() => planTransition(actor('store_manager'), incidentIn('closed'), { to: 'open' }, AT))).toBe(
      'to: reopening needs role admin or analyst',
    );
    expect(messageOf(() => planTransition(actor('viewer'), incidentIn('open'), { to: 'dismissed', reason: 'x' }, AT))).toBe(
      'id: a viewer may not change incidents',
    );
    expect(messageOf(() => planTransition(actor('store_manager'), incidentIn('open', OTHER), { to: 'dismissed', reason: 'x' }, AT))).toBe(
      'id: incident 1 is not of a store you manage',
    );
    const pending = incidentIn('open', OWN, { review: 'pending' });
    expect(messageOf(() => planTransition(analyst, pending, { to: 'dismissed', reason: 'x' }, AT))).toMatch(/^to: incident 1 is an AI detection awaiting review; confirm or reject it first$/);
  });

  it('names the missing or misplaced field and what it needs', () => {
    const analyst = actor('analyst');
    const says = (from: Status, request: Parameters<typeof planTransition>[2]) => messageOf(() => planTransition(analyst, incidentIn(from), request, AT));
    expect(says('in_progress', { to: 'closed', note: 'x' })).toBe('resolution: a resolution code is required to close');
    expect(says('in_progress', { to: 'closed', resolution: 'other' })).toBe('note: a note saying what was done is required to close');
    expect(says('open', { to: 'dismissed', reason: ' ' })).toBe('reason: a reason is required to dismiss');
    expect(says('open', { to: 'dismissed', reason: 'x', resolution: 'other' })).toBe('resolution: is only given when closing');
    expect(says('in_progress', { to: 'closed', resolution: 'other', note: 'x', reason: 'x' })).toBe('reason: is only given when dismissing');
    expect(says('assigned', { to: 'in_progress', assigneeId: 'u' })).toBe('assigneeId: is only given when assigning');
    expect(messageOf(() => planTransition(analyst, incidentIn('open'), { to: 'assigned', assigneeId: 'ghost' }, AT, { id: 'ghost', found: null }))).toBe(
      'assigneeId: ghost is not a user who may work incidents of this store',
    );
  });

  it('says why a review or a comment is refused', () => {
    const analyst = actor('analyst');
    expect(messageOf(() => planReview(analyst, incidentIn('open'), 'confirmed', undefined, AT))).toBe(
      'decision: incident 1 is not an AI detection; only detections awaiting review are reviewed',
    );
    expect(messageOf(() => planReview(analyst, incidentIn('open', OWN, { review: 'rejected' }), 'confirmed', undefined, AT))).toBe(
      'decision: incident 1 was already rejected; only detections awaiting review are reviewed',
    );
    expect(messageOf(() => planReview(analyst, incidentIn('open', OWN, { review: 'pending' }), 'rejected', undefined, AT))).toBe(
      'note: a reason is required to reject a detection',
    );
    expect(messageOf(() => planReview(analyst, incidentIn('closed', OWN, { review: 'pending' }), 'rejected', 'x', AT))).toBe(
      'decision: incident 1 is already closed',
    );
    expect(messageOf(() => planComment(analyst, incidentIn('open'), ''))).toBe('note: a comment needs some text');
    expect(messageOf(() => pathToClosed('dismissed'))).toBe('id: the incident is dismissed already');
  });

  it('needs the assignee lookup to assign (a caller bug, not bad input)', () => {
    expect(() => planTransition(actor('analyst'), incidentIn('open'), { to: 'assigned', assigneeId: 'x' }, AT)).toThrow(
      'planTransition: the assignee lookup is required when assigning',
    );
  });
});

describe('more of what each edge writes', () => {
  it('gives an unassigned incident to whoever starts it, and keeps an assignee', () => {
    const manager = actor('store_manager');
    expect(planTransition(manager, incidentIn('assigned', OWN, { assignee: null }), { to: 'in_progress' }, AT).patch!.assignee).toBe('u-store_manager');
    expect(planTransition(manager, incidentIn('assigned', OWN, { assignee: 'u-other' }), { to: 'in_progress' }, AT).patch!.assignee).toBe('u-other');
  });

  it('records a dismissal reason alone when no note is given, and a close without touching the due time', () => {
    const dismissed = planTransition(actor('analyst'), incidentIn('open'), { to: 'dismissed', reason: ' duplicate ' }, AT);
    expect(dismissed.event).toEqual({ kind: 'transition', fromStatus: 'open', toStatus: 'dismissed', note: 'duplicate', resolution: null });
    const closed = planTransition(actor('analyst'), incidentIn('in_progress'), { to: 'closed', resolution: 'other', note: 'done' }, AT);
    expect(closed.patch).toEqual({ status: 'closed', assignee: 'u-analyst', resolution: 'other', closedAt: AT, dueAt: new Date('2026-03-11T00:00:00Z'), review: null });
  });

  it('confirming keeps every column but the review; rejecting dismisses, clears the resolution and keeps the note', () => {
    const pending = incidentIn('assigned', OWN, { review: 'pending', assignee: 'u-x' });
    expect(planReview(actor('analyst'), pending, 'confirmed', ' looks right ', AT)).toEqual({
      patch: { status: 'assigned', assignee: 'u-x', resolution: null, closedAt: null, dueAt: new Date('2026-03-11T00:00:00Z'), review: 'confirmed' },
      event: { kind: 'review', fromStatus: 'assigned', toStatus: 'assigned', note: 'looks right', resolution: null },
    });
    expect(planReview(actor('analyst'), pending, 'rejected', ' a shadow ', AT)).toEqual({
      patch: { status: 'dismissed', assignee: 'u-x', resolution: null, closedAt: AT, dueAt: new Date('2026-03-11T00:00:00Z'), review: 'rejected' },
      event: { kind: 'review', fromStatus: 'assigned', toStatus: 'dismissed', note: 'a shadow', resolution: null },
    });
  });
});

describe('optimistic locking', () => {
  const incident = incidentIn('assigned');
  it('passes the version read, or no version, and refuses any other with the current status and version', () => {
    expect(() => assertVersion(incident, 4)).not.toThrow();
    expect(() => assertVersion(incident, undefined)).not.toThrow();
    for (const stale of [3, 5, 0]) {
      let error: unknown;
      try {
        assertVersion(incident, stale);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WorkflowError);
      expect(error).toMatchObject({ code: 'CONFLICT', field: 'expectedVersion', current: { status: 'assigned', version: 4 }, name: 'WorkflowError' });
      expect((error as Error).message).toBe(
        'expectedVersion: incident 1 was changed by someone else; it is now assigned at version 4. Reload it and try again.',
      );
    }
  });
});

describe('what the closure rate counts', () => {
  it('counts incidents that are no AI detection or a confirmed one', () => {
    expect(isConfirmedIncident(null)).toBe(true);
    expect(isConfirmedIncident('confirmed')).toBe(true);
    expect(isConfirmedIncident('pending')).toBe(false);
    expect(isConfirmedIncident('rejected')).toBe(false);
    expect(confirmedIncidentSql()).toBe("(i.review IS NULL OR i.review = 'confirmed')");
    expect(confirmedIncidentSql('x')).toBe("(x.review IS NULL OR x.review = 'confirmed')");
    expect(confirmedIncidentSql('')).toBe("(review IS NULL OR review = 'confirmed')");
  });

  it('is null for nothing occurred, and a fraction otherwise; so is a cell\'s share closed', () => {
    expect(monthlyClosureRate(0, 0)).toBeNull();
    expect(monthlyClosureRate(3, 4)).toBe(0.75);
    expect(monthlyClosureRate(0, 5)).toBe(0);
    expect(cellShareClosed(0, 0)).toBeNull();
    expect(cellShareClosed(1, 4)).toBe(0.25);
    expect(cellShareClosed(0, 1)).toBe(0);
  });
});

describe('zoneOffsetMs', () => {
  it('is how far the zone\'s clock is ahead of UTC, DST included, whole seconds', () => {
    const winter = new Date('2026-01-15T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    expect(zoneOffsetMs(winter, 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(zoneOffsetMs(winter, 'UTC')).toBe(0);
    expect(zoneOffsetMs(winter, 'America/New_York')).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs(summer, 'America/New_York')).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs(winter, 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
    // midnight is hour 0, not 24; milliseconds of the instant do not count
    expect(zoneOffsetMs(new Date('2026-01-15T16:00:00.999Z'), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(zoneOffsetMs(new Date('2026-01-15T00:00:00.500Z'), 'UTC')).toBe(0);
  });
});
