/** Due times and overdue / due-soon rules (server/domain/sla.ts), against hand-computed instants. */
import { describe, expect, it } from 'vitest';
import {
  dueAfterReopen,
  DUE_SOON_HOURS,
  dueSoonEnd,
  dueSoonSql,
  finalStatusSql,
  FINAL_STATUSES_SQL,
  isDueSoon,
  isFinalStatus,
  isOverdue,
  notFinalStatusSql,
  overdueSql,
} from '../../../server/domain/sla.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('SLA rules', () => {
  it('restarts the clock on reopen with the severity\'s hours (defaults 4: 24 h, 1: 7 d) or the given table', () => {
    expect(dueAfterReopen(NOW, 4).toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(dueAfterReopen(NOW, 1).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(dueAfterReopen(NOW, 2, { 1: 1, 2: 5, 3: 1, 4: 1 }).toISOString()).toBe('2026-03-01T17:00:00.000Z');
  });

  it('calls closed and dismissed final, nothing else', () => {
    expect(['open', 'assigned', 'in_progress', 'closed', 'dismissed'].map((s) => isFinalStatus(s as never))).toEqual([false, false, false, true, true]);
  });

  it('is overdue only when not final, with a due time strictly before now', () => {
    expect(isOverdue('open', at('2026-03-01T11:59:59Z'), NOW)).toBe(true);
    expect(isOverdue('in_progress', at('2026-03-01T12:00:00Z'), NOW)).toBe(false); // due now: not yet
    expect(isOverdue('assigned', at('2026-03-01T12:00:01Z'), NOW)).toBe(false);
    expect(isOverdue('closed', at('2026-02-01T00:00:00Z'), NOW)).toBe(false);
    expect(isOverdue('dismissed', at('2026-02-01T00:00:00Z'), NOW)).toBe(false);
    expect(isOverdue('open', null, NOW)).toBe(false);
  });

  it('is due soon when not final, not overdue, and due within the hours (24 by default)', () => {
    expect(DUE_SOON_HOURS).toBe(24);
    expect(isDueSoon('open', at('2026-03-01T12:00:00Z'), NOW)).toBe(true); // due this instant: 0 h left
    expect(isDueSoon('open', at('2026-03-02T11:59:59Z'), NOW)).toBe(true);
    expect(isDueSoon('open', at('2026-03-02T12:00:00Z'), NOW)).toBe(false); // exactly 24 h left
    expect(isDueSoon('open', at('2026-03-01T11:59:59Z'), NOW)).toBe(false); // overdue, not due soon
    expect(isDueSoon('closed', at('2026-03-01T13:00:00Z'), NOW)).toBe(false);
    expect(isDueSoon('open', null, NOW)).toBe(false);
    expect(isDueSoon('assigned', at('2026-03-01T13:30:00Z'), NOW, 1)).toBe(false);
    expect(isDueSoon('assigned', at('2026-03-01T12:30:00Z'), NOW, 1)).toBe(true);
  });
});

describe('the SQL twins of the rules', () => {
  it('lists the final statuses, closed and dismissed', () => {
    expect(FINAL_STATUSES_SQL).toBe("('closed', 'dismissed')");
    expect(finalStatusSql()).toBe("i.status IN ('closed', 'dismissed')");
    expect(finalStatusSql('x')).toBe("x.status IN ('closed', 'dismissed')");
    expect(finalStatusSql('')).toBe("status IN ('closed', 'dismissed')");
    // with the column's ENUM type, literals of that type
    expect(finalStatusSql('i', 'incident_status')).toBe(
      "i.status IN (CAST('closed' AS incident_status), CAST('dismissed' AS incident_status))",
    );
    expect(notFinalStatusSql()).toBe("i.status NOT IN ('closed', 'dismissed')");
    expect(notFinalStatusSql('')).toBe("status NOT IN ('closed', 'dismissed')");
  });

  it('is overdue strictly before now, due soon from now up to (not at) the end', () => {
    expect(overdueSql('$1')).toBe("(i.status NOT IN ('closed', 'dismissed') AND i.due_at < $1)");
    expect(overdueSql('now()', '')).toBe("(status NOT IN ('closed', 'dismissed') AND due_at < now())");
    expect(dueSoonSql('$1', '$2')).toBe("(i.status NOT IN ('closed', 'dismissed') AND i.due_at >= $1 AND i.due_at < $2)");
    expect(dueSoonSql('$1', '$2', 'x')).toBe("(x.status NOT IN ('closed', 'dismissed') AND x.due_at >= $1 AND x.due_at < $2)");
  });

  it('ends the due-soon window 24 hours (or the given hours) after now', () => {
    expect(dueSoonEnd(NOW).toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(dueSoonEnd(NOW, 2).toISOString()).toBe('2026-03-01T14:00:00.000Z');
  });
});
