/**
 * The change feed in storage (issue 14), on both engines: what is recorded (created incidents,
 * status/review/assignee/due changes; not duplicates, comments, lost races or the demo seed),
 * scope and filters on read, ids in commit order under concurrent writers, and retention.
 */
import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../server/domain/closure.js';
import { recordUpdated } from '../../server/store/change-feed.js';
import type { IncidentChange } from '../../server/store/change-feed.js';
import type { DuckDbStore } from '../../server/store/duckdb.js';
import type { PostgresStore } from '../../server/store/postgres.js';
import type { IncidentInput, IncidentStore } from '../../server/store/types.js';
import { engines } from '../support/engines.js';
import { incident, seedPlaces } from '../support/fixtures.js';

describe.each(engines())('change feed on $engine', ({ open }) => {
  let store: IncidentStore;
  let places: Awaited<ReturnType<typeof seedPlaces>>;
  let n = 0;
  const analyst: Actor = { id: 'feed-analyst', role: 'analyst', storeIds: [] };

  beforeAll(async () => {
    store = await open();
    places = await seedPlaces(store);
    await store.upsertUsers([{ ...analyst, name: 'Analyst', storeIds: [] }]);
  });
  afterAll(async () => {
    await store?.close();
  });

  const fz1 = (o: Partial<IncidentInput> = {}) =>
    incident({ externalId: `feed-${++n}`, cityId: places.fuzhou.id, storeId: places.fz1.id, lat: 26.0801, lng: 119.2902, ...o });
  const fz2 = (o: Partial<IncidentInput> = {}) =>
    incident({ externalId: `feed-${++n}`, cityId: places.fuzhou.id, storeId: places.fz2.id, lat: 26.0502, lng: 119.3101, ...o });

  async function write(rows: IncidentInput[], opts?: { changeFeed?: boolean }) {
    const writer = await store.openIncidentWriter(opts);
    await writer.write(rows);
    return writer.commit();
  }
  const idOf = async (externalId: string) => (await store.incidentBySourceKey('manual', externalId, { all: true }))!;
  /** Everything after `after` the way a subscriber pages through it. */
  /**
   * Every change committed before the call, read page by page. The feed's in-memory tail learns
   * of commits from the wake-up (PostgreSQL: NOTIFY, which arrives a moment after the commit) or
   * after a second at most: read until the pages have examined everything up to the head.
   */
  async function readAll(after: number, scope: Parameters<IncidentStore['changeFeed']['read']>[1] = { all: true }, filters = {}) {
    const { head } = await store.changeFeed.bounds();
    const deadline = Date.now() + 10_000;
    const out: IncidentChange[] = [];
    let cursor = after;
    for (;;) {
      const page = await store.changeFeed.read(cursor, scope, filters, 7);
      out.push(...page.changes);
      if (page.through >= head) return out;
      if (page.through === cursor) {
        if (Date.now() > deadline) throw new Error(`the feed did not reach ${head} (at ${cursor})`);
        await new Promise((r) => setTimeout(r, 50));
      }
      cursor = page.through;
    }
  }


  it('records created incidents once, in the writer commit, with the resolution-11 cell', async () => {
    const { head } = await store.changeFeed.bounds();
    const rows = [fz1(), fz2({ kind: 'exception', category: 'red_light' })];
    expect(await write(rows)).toMatchObject({ inserted: 2 });
    expect(await write(rows)).toMatchObject({ inserted: 0, duplicates: 2 }); // re-sent: no news
    const got = await readAll(head);
    const a = await idOf(rows[0]!.externalId);
    expect(got.map((c) => [c.type, c.id, c.storeId, c.status])).toEqual([
      ['incident.created', a.id, places.fz1.id, 'open'],
      ['incident.created', (await idOf(rows[1]!.externalId)).id, places.fz2.id, 'open'],
    ]);
    expect(got[0]!.cell).toBe(latLngToCell(26.0801, 119.2902, 11));
    expect(got[0]).toMatchObject({ kind: 'accident', severity: 2, cityId: places.fuzhou.id, occurredAt: rows[0]!.occurredAt, previous: null, lat: 26.0801, lng: 119.2902 });
    expect(got[0]!.eventId).toBeGreaterThan(head);
    expect(got[1]!.eventId).toBeGreaterThan(got[0]!.eventId);
    expect((await store.changeFeed.bounds()).head).toBe(got[1]!.eventId);
    // a rolled-back writer and the demo seed's writer leave nothing
    const rolledBack = await store.openIncidentWriter();
    await rolledBack.write([fz1()]);
    await rolledBack.rollback();
    await write([fz1()], { changeFeed: false });
    expect(await readAll(got[1]!.eventId)).toEqual([]);
  });

  it('records status, review and assignee changes with the state after them; not comments or lost races', async () => {
    const row = fz1({ source: 'manual' });
    await write([row]);
    const before = await idOf(row.externalId);
    const { head } = await store.changeFeed.bounds();
    const assigned = await store.workflow.transition({ id: before.id, to: 'assigned', expectedVersion: 1 }, analyst, new Date());
    await store.workflow.comment({ id: before.id, note: 'on it' }, analyst, new Date());
    await expect(store.workflow.transition({ id: before.id, to: 'in_progress', expectedVersion: 1 }, analyst, new Date())).rejects.toThrow();
    await store.workflow.transition({ id: before.id, to: 'in_progress', expectedVersion: assigned.incident.version }, analyst, new Date());
    const got = await readAll(head);
    expect(got.map((c) => [c.type, c.id, c.status])).toEqual([
      ['incident.updated', before.id, 'assigned'],
      ['incident.updated', before.id, 'in_progress'],
    ]);
    // the state each update left, for clients that move the incident between counts
    expect(got.map((c) => c.previous?.status)).toEqual(['open', 'assigned']);
    expect(got[0]!.previous!.dueAt).toEqual(before.dueAt);
    expect([got[0]!.lat, got[0]!.lng]).toEqual([before.lat, before.lng]);

    const detection = fz1({ source: 'ai_vision', kind: 'exception', category: 'no_helmet', review: 'pending', aiLabel: 'no_helmet', aiConfidence: 0.9 });
    await write([detection]);
    const d = (await store.incidentBySourceKey('ai_vision', detection.externalId, { all: true }))!;
    const mark = (await store.changeFeed.bounds()).head;
    await store.workflow.review({ id: d.id, decision: 'rejected', note: 'a shadow' }, analyst, new Date());
    // a rejection is news too (counts drop), although rejected detections are filtered by default
    expect((await readAll(mark)).map((c) => [c.id, c.review])).toEqual([[d.id, 'rejected']]);
  });

  it('applies the scope and the where/what filters on read; status filters do not hide a change', async () => {
    const { head } = await store.changeFeed.bounds();
    await write([fz1({ kind: 'accident' }), fz2({ kind: 'accident' }), fz1({ kind: 'exception', category: 'wrong_way', description: 'wrong way at the bridge' })]);
    const all = await readAll(head);
    expect(all).toHaveLength(3);
    const own = await readAll(head, { all: false, storeIds: [places.fz1.id] });
    expect(own.map((c) => c.storeId)).toEqual([places.fz1.id, places.fz1.id]);
    expect((await readAll(head, { all: true }, { kinds: ['exception'] })).map((c) => c.kind)).toEqual(['exception']);
    expect((await readAll(head, { all: true }, { q: 'bridge' })).map((c) => c.kind)).toEqual(['exception']);
    expect(await readAll(head, { all: false, storeIds: [places.fz1.id] }, { storeIds: [places.fz2.id] })).toEqual([]);
    expect(await readAll(head, { all: true }, { statuses: ['closed'] })).toHaveLength(3);
  });

  it('gives concurrent writers ids in commit order: a reader following the head misses none', async () => {
    // the deterministic case is the next test; this one is the same rule under real concurrency
    for (let round = 0; round < 2; round++) {
      const base = await Promise.all(Array.from({ length: 6 }, async () => {
        const row = fz1();
        await write([row]);
        return idOf(row.externalId);
      }));
      const { head } = await store.changeFeed.bounds();
      let stop = false;
      const seen: number[] = [];
      const follower = (async () => {
        let cursor = head;
        while (!stop) {
          const page = await store.changeFeed.read(cursor, { all: true }, {}, 1000);
          seen.push(...page.changes.map((c) => c.eventId));
          cursor = page.through;
          // a read from the in-memory tail resolves without I/O: let the writers run
          await new Promise((resolve) => setImmediate(resolve));
        }
        // then up to the final head (on PostgreSQL the tail hears of the last commits through
        // LISTEN a moment later, as a subscriber would)
        const { head: last } = await store.changeFeed.bounds();
        while (cursor < last) {
          const rest = await store.changeFeed.read(cursor, { all: true }, {}, 1000);
          seen.push(...rest.changes.map((c) => c.eventId));
          cursor = rest.through;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      await Promise.all([
        ...base.map((i) => store.workflow.transition({ id: i.id, to: 'assigned', expectedVersion: 1 }, analyst, new Date())),
        ...Array.from({ length: 6 }, () => write([fz1(), fz2()])),
      ]);
      stop = true;
      await follower;
      const everything = (await readAll(head)).map((c) => c.eventId);
      expect(everything).toHaveLength(6 + 12);
      expect(seen, `round ${round}`).toEqual(everything);
    }
  });

  it('holds a later writer back while an earlier one has drawn ids but not committed', async () => {
    const [a, b] = [fz1(), fz1()];
    await write([a, b]);
    const [ia, ib] = [await idOf(a.externalId), await idOf(b.externalId)];
    const { head } = await store.changeFeed.bounds();
    const sql = (store as DuckDbStore | PostgresStore).sqlForBench();
    let commitA!: () => void;
    const held = new Promise<void>((resolve) => (commitA = resolve));
    let drawn!: () => void;
    const hasDrawn = new Promise<void>((resolve) => (drawn = resolve));
    // A: an update recorded (its id drawn), then held open
    const first = sql.transaction(async (tx) => {
      await recordUpdated(tx, ia.id, ia.storeId, { status: ia.status, review: ia.review, dueAt: ia.dueAt });
      drawn();
      await held;
    });
    await hasDrawn;
    // B: a transition that would commit first, with a larger id, if nothing held it back
    const second = store.workflow.transition({ id: ib.id, to: 'assigned', expectedVersion: 1 }, analyst, new Date());
    await new Promise((resolve) => setTimeout(resolve, 300));
    // a reader now must not see past A's id: B is waiting for A
    const page = await store.changeFeed.read(head, { all: true }, {}, 100);
    expect(page.changes).toEqual([]);
    commitA();
    await first;
    await second;
    expect((await readAll(head)).map((c) => c.id)).toEqual([ia.id, ib.id]);
  });

  it('prunes only what is both older than the hours and beyond the count kept, and records the mark', async () => {
    await write([fz1(), fz1(), fz1()]);
    const { head } = await store.changeFeed.bounds();
    const now = new Date();
    expect(await store.changeFeed.prune(now, { keepHours: 1, keepChanges: 0 })).toBe(0); // all recent
    const later = new Date(now.getTime() + 2 * 3_600_000);
    const total = (await readAll(0)).length;
    expect(await store.changeFeed.prune(later, { keepHours: 1, keepChanges: 2 })).toBe(total - 2);
    expect(await store.changeFeed.bounds()).toEqual({ head, prunedThrough: head - 2 });
    expect((await readAll(0)).map((c) => c.eventId)).toEqual([head - 1, head]);
    expect(await store.changeFeed.prune(later, { keepHours: 1, keepChanges: 2 })).toBe(0);
  });
});
