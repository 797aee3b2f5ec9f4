/**
 * The status rules in SQL and in TypeScript are one rule: for every status, review state and due
 * time around `now`, the fragments the store builds its queries from (server/domain/sla.ts,
 * closure.ts, filters.ts) answer on each engine what a hand-written table says, and what the
 * predicates the client and the routers call (isFinalStatus, isOverdue, isDueSoon,
 * isConfirmedIncident, passesDefaultReview) answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmedIncidentSql, isConfirmedIncident } from '../../server/domain/closure.js';
import type { ReviewState, Status } from '../../server/domain/incident.js';
import { STATUSES } from '../../server/domain/incident.js';
import { defaultReviewSql, passesDefaultReview } from '../../server/domain/filters.js';
import { dueSoonEnd, dueSoonSql, finalStatusSql, isDueSoon, isFinalStatus, isOverdue, notFinalStatusSql, overdueSql } from '../../server/domain/sla.js';
import type { SqlDb } from '../../server/store/sql-db.js';
import type { IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

const NOW = new Date('2024-03-10T00:00:00Z');
const HOUR = 3_600_000;

/** Hand-written: the final statuses of DESIGN.md "Closure state machine". */
const FINAL: readonly Status[] = ['closed', 'dismissed'];

/** Due times around NOW with what they are for an incident still open (due soon = within 24 h). */
const DUES: ReadonlyArray<{ label: string; due: Date | null; overdue: boolean; soon: boolean }> = [
  { label: 'a week late', due: new Date(NOW.getTime() - 7 * 24 * HOUR), overdue: true, soon: false },
  { label: 'a millisecond late', due: new Date(NOW.getTime() - 1), overdue: true, soon: false },
  { label: 'due now', due: NOW, overdue: false, soon: true },
  { label: 'due in 1 h', due: new Date(NOW.getTime() + HOUR), overdue: false, soon: true },
  { label: 'due 1 ms before the window ends', due: new Date(NOW.getTime() + 24 * HOUR - 1), overdue: false, soon: true },
  { label: 'due as the window ends', due: new Date(NOW.getTime() + 24 * HOUR), overdue: false, soon: false },
  { label: 'due in 3 days', due: new Date(NOW.getTime() + 72 * HOUR), overdue: false, soon: false },
  { label: 'no due time', due: null, overdue: false, soon: false },
];

/** Hand-written: the incidents the monthly closure rate counts (not AI, or confirmed), and those a filter without `review` counts (all but rejected). */
const REVIEWS: ReadonlyArray<{ review: ReviewState | null; confirmed: boolean; byDefault: boolean }> = [
  { review: null, confirmed: true, byDefault: true },
  { review: 'confirmed', confirmed: true, byDefault: true },
  { review: 'pending', confirmed: false, byDefault: true },
  { review: 'rejected', confirmed: false, byDefault: false },
];

interface Case {
  externalId: string;
  status: Status;
  due: Date | null;
  review: ReviewState | null;
  expected: { final: boolean; notFinal: boolean; overdue: boolean; soon: boolean; confirmed: boolean; byDefault: boolean };
}

const CASES: Case[] = STATUSES.flatMap((status) =>
  DUES.flatMap((d, k) =>
    REVIEWS.map((r, j) => {
      const final = FINAL.includes(status);
      return {
        externalId: `${status}-${k}-${j}`,
        status,
        due: d.due,
        review: r.review,
        expected: { final, notFinal: !final, overdue: !final && d.overdue, soon: !final && d.soon, confirmed: r.confirmed, byDefault: r.byDefault },
      };
    }),
  ),
);

describe.each(engines())('status rules in SQL on $engine', ({ open }) => {
  let store: IncidentStore;
  let rows: Map<string, Case['expected']>;

  beforeAll(async () => {
    store = await open();
    const { fuzhou, fz1 } = await seedPlaces(store);
    const writer = await store.openIncidentWriter();
    await writer.write(
      CASES.map((c) =>
        incident({
          cityId: fuzhou.id,
          storeId: fz1.id,
          externalId: c.externalId,
          status: c.status,
          dueAt: c.due,
          review: c.review,
          source: c.review === null ? 'manual' : 'ai_vision',
          resolution: c.status === 'closed' ? 'other' : null,
        }),
      ),
    );
    await writer.commit();
    const db = (store as unknown as { db: SqlDb }).db;
    const flag = (sql: string) => `CASE WHEN ${sql} THEN 1 ELSE 0 END`;
    const found = await db.query(
      `SELECT i.external_id,
              ${flag(finalStatusSql('i'))} AS final,
              ${flag(notFinalStatusSql('i'))} AS not_final,
              ${flag(overdueSql('$1'))} AS overdue,
              ${flag(dueSoonSql('$1', '$2'))} AS soon,
              ${flag(confirmedIncidentSql('i'))} AS confirmed,
              ${flag(defaultReviewSql('i'))} AS by_default
       FROM incident i`,
      [NOW, dueSoonEnd(NOW)],
    );
    rows = new Map(
      found.map((r) => [
        r.external_id as string,
        { final: Number(r.final) === 1, notFinal: Number(r.not_final) === 1, overdue: Number(r.overdue) === 1, soon: Number(r.soon) === 1, confirmed: Number(r.confirmed) === 1, byDefault: Number(r.by_default) === 1 },
      ]),
    );
  });
  afterAll(async () => {
    await store.close();
  });

  it('reads every case back', () => {
    expect(rows.size).toBe(CASES.length);
  });

  it.each(STATUSES)('the SQL fragments answer the hand-written table for %s incidents', (status) => {
    for (const c of CASES.filter((x) => x.status === status)) expect({ id: c.externalId, ...rows.get(c.externalId) }).toEqual({ id: c.externalId, ...c.expected });
  });

  it('the TypeScript predicates answer what the SQL answers, row by row', () => {
    for (const c of CASES) {
      const ts = {
        final: isFinalStatus(c.status),
        notFinal: !isFinalStatus(c.status),
        overdue: isOverdue(c.status, c.due, NOW),
        soon: isDueSoon(c.status, c.due, NOW),
        confirmed: isConfirmedIncident(c.review),
        byDefault: passesDefaultReview(c.review),
      };
      expect({ id: c.externalId, ...ts }).toEqual({ id: c.externalId, ...rows.get(c.externalId) });
    }
  });
});
