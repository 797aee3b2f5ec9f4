/**
 * A store manager's day, in the order of what to do first: what is overdue or due before the end
 * of today, most severe first and then the earliest due; the rest of the open work by due time.
 * Pure, so that the work list, its badge and the tests share one rule.
 */

export interface DueItem {
  id: number;
  severity: number;
  dueAt?: string | null;
}

/** Midnight at the end of `now`'s local day (the phone's zone is the store's). */
export function endOfToday(now: Date): Date {
  const end = new Date(now);
  end.setHours(24, 0, 0, 0);
  return end;
}

function dueMs(item: DueItem): number {
  const t = item.dueAt ? Date.parse(item.dueAt) : NaN;
  return Number.isNaN(t) ? Infinity : t;
}

/** Most severe first, then the earliest due, then the lowest id (a stable order). */
export function byUrgency(a: DueItem, b: DueItem): number {
  return b.severity - a.severity || dueMs(a) - dueMs(b) || a.id - b.id;
}

/** Splits open work into today's (overdue or due before midnight, by urgency) and the rest (by due time). */
export function splitToday<T extends DueItem>(items: readonly T[], now: Date): { today: T[]; later: T[] } {
  const end = endOfToday(now).getTime();
  const today = items.filter((i) => dueMs(i) < end).sort(byUrgency);
  const later = items.filter((i) => dueMs(i) >= end).sort((a, b) => dueMs(a) - dueMs(b) || a.id - b.id);
  return { today, later };
}

export type RelativeDue = { kind: 'overdue' | 'left'; unit: 'minutes' | 'hours' | 'days'; value: number } | null;

/**
 * How far an item is past due or from due, in the largest whole unit that reads naturally:
 * minutes under an hour, hours under two days, then days. `null` without a due time.
 */
export function relativeDue(dueAt: string | null | undefined, now: Date): RelativeDue {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return null;
  const diff = due - now.getTime();
  const ms = Math.abs(diff);
  const kind = diff < 0 ? 'overdue' : 'left';
  if (ms < 3_600_000) return { kind, unit: 'minutes', value: Math.max(1, Math.floor(ms / 60_000)) };
  if (ms < 48 * 3_600_000) return { kind, unit: 'hours', value: Math.floor(ms / 3_600_000) };
  return { kind, unit: 'days', value: Math.floor(ms / 86_400_000) };
}
