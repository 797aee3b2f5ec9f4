/**
 * The closure timeline an imported incident starts with. An import is not a person working the
 * incident, so the events name the import as actor. A row that arrives closed later than it
 * occurred gets open, then the final step, so that its history reads like any other.
 */
import type { Status } from '../domain/incident.js';
import type { IncidentEventInput } from '../store/types.js';

export function importEvents(opts: {
  actor: string;
  status: Status;
  occurredAt: Date;
  closedAt: Date | null;
  note: string;
}): IncidentEventInput[] {
  const closedLater = opts.closedAt !== null && opts.closedAt.getTime() > opts.occurredAt.getTime();
  // Two events at the same instant would have no defined order in the timeline: one event then.
  if (opts.status === 'open' || !closedLater) {
    return [{ at: opts.occurredAt, actor: opts.actor, fromStatus: null, toStatus: opts.status, note: opts.note }];
  }
  return [
    { at: opts.occurredAt, actor: opts.actor, fromStatus: null, toStatus: 'open', note: opts.note },
    { at: opts.closedAt!, actor: opts.actor, fromStatus: 'open', toStatus: opts.status, note: null },
  ];
}
