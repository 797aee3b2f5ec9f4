/**
 * Review and closure histories of demo incidents (../../DESIGN.md "Closure state machine").
 *
 * The demo tells the story of the design: two years ago about half of the incidents of a month
 * were closed by the end of that month; the closure process improved until about 90 % are. An
 * incident draws whether it is worked on time (probability `closureTarget` of its occurrence
 * time) and how long that takes. The others are neglected and closed late, weeks to months
 * after (a backlog someone clears), so that the rate "by the end of the month" climbs from 50 %
 * to 90 % while only recent incidents are still open, and only a few are overdue now. The
 * timeline is then cut at `now`.
 */
import type { Kind, Resolution, ReviewState, Severity, Status } from '../../server/domain/incident.js';
import type { IncidentEventInput } from '../../server/store/types.js';
import type { Rng } from './random.js';
import { CREATED_NOTES, DISMISS_REASONS, IN_PROGRESS_NOTES, REJECT_REASONS, RESOLUTION_NOTES } from './text.js';
import { AI_PIPELINE_ACTOR, ANALYST_IDS } from './users.js';

const HOUR_MS = 3_600_000;
const MAX_CLOSE_DELAY_MS = 40 * 24 * HOUR_MS;
const MAX_REVIEW_DELAY_MS = 20 * 24 * HOUR_MS;
/** How late a neglected incident is finally dealt with, in days after its normal close. */
const LATE_DAYS_MIN = 20;
const LATE_DAYS_MAX = 120;

function smoothstep(x: number): number {
  const t = Math.min(Math.max(x, 0), 1);
  return t * t * (3 - 2 * t);
}

/**
 * Probability that an incident occurring at `share` of the history (0 = two years ago, 1 = now)
 * is worked on time: 57 % at the start, 95 % from the last quarter on. Incidents of a month's
 * last days close in the next month, so the rate by the end of the month comes out about 7
 * points lower: about 50 % rising to about 90 % (tests/unit/data/incidents.test.ts).
 */
export function closureTarget(share: number): number {
  return 0.57 + 0.38 * smoothstep((share - 0.04) / 0.8);
}

/** Median hours from review (or report) to the final state: slow at first, and faster for severe ones. */
function medianCloseHours(share: number, severity: Severity): number {
  const bySeverity: Record<Severity, number> = { 1: 1.3, 2: 1, 3: 0.6, 4: 0.35 };
  return (100 * (1 - share) + 20 * share) * bySeverity[severity];
}

/** Share of AI detections that reviewers reject: mostly the low-confidence ones (~8 % overall). */
export function rejectProbability(confidence: number): number {
  const doubt = 1 - (confidence - 0.5) / 0.49;
  return 0.45 * doubt * doubt;
}

const RESOLUTIONS_BY_KIND: Record<Kind, readonly (readonly [Resolution, number])[]> = {
  accident: [
    ['insurance_claim', 30],
    ['rider_coached', 30],
    ['facility_fixed', 10],
    ['route_changed', 10],
    ['rider_penalized', 5],
    ['no_action_needed', 10],
    ['other', 5],
  ],
  exception: [
    ['rider_coached', 55],
    ['rider_penalized', 20],
    ['route_changed', 5],
    ['facility_fixed', 3],
    ['no_action_needed', 12],
    ['other', 5],
  ],
};

export interface LifecycleInput {
  kind: Kind;
  severity: Severity;
  occurredAt: number;
  /** Position of occurredAt in the history, 0..1. */
  share: number;
  /** Per-month wobble added to the closure target, so monthly rates are not a perfect curve. */
  targetNoise: number;
  ai: boolean;
  aiConfidence: number | null;
  /** Who works the incident: the store's manager, or an analyst when it has no store. */
  owner: string;
  nowMs: number;
}

export interface Lifecycle {
  createdAt: Date;
  review: ReviewState | null;
  status: Status;
  assignee: string | null;
  closedAt: Date | null;
  resolution: Resolution | null;
  events: IncidentEventInput[];
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function simulateLifecycle(rng: Rng, input: LifecycleInput): Lifecycle {
  const { kind, severity, occurredAt, share, ai, owner, nowMs } = input;
  const latest = nowMs - 60_000;
  const reportLag = ai ? rng.range(30_000, 8 * 60_000) : Math.min(rng.logNormal(40 * 60_000, 0.8), 6 * HOUR_MS);
  const created = seconds(Math.min(occurredAt + reportLag, latest));
  const events: IncidentEventInput[] = [
    { at: new Date(created), actor: ai ? AI_PIPELINE_ACTOR : owner, fromStatus: null, toStatus: 'open', note: ai ? CREATED_NOTES.ai : CREATED_NOTES.manual },
  ];
  const result: Lifecycle = { createdAt: new Date(created), review: null, status: 'open', assignee: null, closedAt: null, resolution: null, events };

  let base = created;
  if (ai) {
    const reviewAt = seconds(created + Math.min(rng.logNormal(6 * HOUR_MS, 1.1), MAX_REVIEW_DELAY_MS)) + 1000;
    const rejected = rng.chance(rejectProbability(input.aiConfidence ?? 0.75));
    if (reviewAt > nowMs) {
      result.review = 'pending';
      return result;
    }
    if (rejected) {
      result.review = 'rejected';
      result.status = 'dismissed';
      result.closedAt = new Date(reviewAt);
      events.push({ at: new Date(reviewAt), actor: rng.pick(ANALYST_IDS), fromStatus: 'open', toStatus: 'dismissed', note: rng.pick(REJECT_REASONS) });
      return result;
    }
    result.review = 'confirmed';
    base = reviewAt;
  }

  const onTime = rng.chance(closureTarget(share) + input.targetNoise);
  const lateMs = onTime ? 0 : rng.range(LATE_DAYS_MIN, LATE_DAYS_MAX) * 24 * HOUR_MS;
  const delay = Math.min(Math.max(rng.logNormal(medianCloseHours(share, severity) * HOUR_MS, 0.9), 1800_000), MAX_CLOSE_DELAY_MS) + lateMs;
  const f1 = rng.range(0.05, 0.3);
  const f2 = f1 + rng.range(0.1, 0.6) * (1 - f1);
  const assignedAt = seconds(base + delay * f1) + 1000;
  const startedAt = Math.max(seconds(base + delay * f2), assignedAt + 1000);
  const finalAt = Math.max(seconds(base + delay), startedAt + 1000);
  // A backlog cleared late is dismissed more often: by then there is little left to do.
  const dismissed = rng.chance(onTime ? (kind === 'accident' ? 0.03 : 0.1) : 0.35);
  const stopAt = dismissed ? 'dismissed' : 'closed';
  const assignActor = ai || rng.chance(0.5) ? rng.pick(ANALYST_IDS) : owner;
  const dismissActor = rng.chance(0.6) ? rng.pick(ANALYST_IDS) : owner;
  const resolution = rng.weighted(RESOLUTIONS_BY_KIND[kind]);
  const progressNote = rng.pick(IN_PROGRESS_NOTES);
  const reason = rng.pick(DISMISS_REASONS);

  // cut at now: whatever has not happened yet leaves the incident where it stands
  if (assignedAt > nowMs) return result;
  events.push({ at: new Date(assignedAt), actor: assignActor, fromStatus: 'open', toStatus: 'assigned', note: null });
  result.status = 'assigned';
  result.assignee = owner;

  if (stopAt === 'dismissed') {
    // Dismissals skip the work: someone finds it is a duplicate or not ours.
    if (finalAt > nowMs) return result;
    events.push({ at: new Date(finalAt), actor: dismissActor, fromStatus: 'assigned', toStatus: 'dismissed', note: reason });
    result.status = 'dismissed';
    result.closedAt = new Date(finalAt);
    return result;
  }

  if (startedAt > nowMs) return result;
  events.push({ at: new Date(startedAt), actor: owner, fromStatus: 'assigned', toStatus: 'in_progress', note: progressNote });
  result.status = 'in_progress';
  if (finalAt > nowMs) return result;

  events.push({ at: new Date(finalAt), actor: owner, fromStatus: 'in_progress', toStatus: 'closed', note: RESOLUTION_NOTES[resolution] });
  result.status = 'closed';
  result.closedAt = new Date(finalAt);
  result.resolution = resolution;
  return result;
}
