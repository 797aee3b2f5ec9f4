/**
 * Live updates (issue 14): `live.changes`, a tRPC subscription over Server-Sent Events. Each
 * change of the feed (server/store/change-feed.ts) within the caller's store scope and filters
 * is yielded as `tracked(id, change)`; the client's httpSubscriptionLink sends the last id back
 * as `lastEventId` when it reconnects, and the stream resumes right after it: every change since,
 * in order, once. A cursor older than the feed keeps (or from another database) gets one
 * `refetch` event instead: the client reloads what it shows, and the stream goes on from now.
 * Pings (server/trpc.ts) keep proxies from closing idle streams.
 */
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { FiltersSchema } from '../domain/filters.js';
import type { IncidentChange } from '../store/change-feed.js';
import { authedProcedure, router } from '../trpc.js';

/** Changes read per query: a subscriber far behind catches up page by page. */
export const LIVE_PAGE = 500;
/**
 * Without a wake-up a subscriber reads again after this long: a wake-up lost with a dropped
 * LISTEN connection (PostgreSQL) delays changes by at most this much.
 */
export const LIVE_POLL_MS = 5_000;

/** A change as sent: timestamps as ISO strings (plain JSON over the wire). */
export type LiveChange = Omit<IncidentChange, 'eventId' | 'occurredAt' | 'changedAt' | 'dueAt' | 'previous'> & {
  occurredAt: string;
  changedAt: string;
  dueAt: string | null;
  previous: { status: IncidentChange['status']; review: IncidentChange['review']; dueAt: string | null } | null;
};

/** Reload what the screen shows: changes were missed (`gap`) or the cursor is unknown (`unknown`). */
export interface LiveRefetch {
  type: 'refetch';
  reason: 'gap' | 'unknown';
}

/**
 * First event of a stream started without `lastEventId`: its id is the cursor "now", so that a
 * reconnect before any change still resumes from here (and misses nothing dropped in between).
 */
export interface LiveReady {
  type: 'ready';
}

export type LiveEvent = LiveChange | LiveRefetch | LiveReady;

function changeToDto(c: IncidentChange): LiveChange {
  return {
    type: c.type,
    id: c.id,
    storeId: c.storeId,
    cityId: c.cityId,
    cell: c.cell,
    lat: c.lat,
    lng: c.lng,
    status: c.status,
    review: c.review,
    dueAt: c.dueAt?.toISOString() ?? null,
    previous: c.previous && { ...c.previous, dueAt: c.previous.dueAt?.toISOString() ?? null },
    kind: c.kind,
    category: c.category,
    severity: c.severity,
    externalId: c.externalId,
    occurredAt: c.occurredAt.toISOString(),
    changedAt: c.changedAt.toISOString(),
  };
}

export const liveRouter = router({
  /** Incidents created and changed from now on (or since `lastEventId`), scoped and filtered. */
  changes: authedProcedure
    .input(
      z
        .object({
          filters: FiltersSchema.optional(),
          // set by httpSubscriptionLink on reconnect: the id of the last event received
          lastEventId: z.string().regex(/^\d{1,15}$/, 'must be a change id (up to 15 digits)').nullish(),
        })
        .strict(),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const feed = ctx.store.changeFeed;
      const filters = input.filters ?? {};
      // listen before the first read: a commit between the read and the wait is not missed
      let dirty = false;
      let wake: (() => void) | null = null;
      const off = feed.onChange(() => {
        dirty = true;
        wake?.();
      });
      try {
        const bounds = await feed.bounds();
        let cursor = bounds.head;
        if (input.lastEventId == null) {
          yield tracked(String(cursor), { type: 'ready' });
        } else {
          const last = Number(input.lastEventId);
          if (last < bounds.prunedThrough || last > bounds.head) {
            yield tracked(String(bounds.head), { type: 'refetch', reason: last > bounds.head ? 'unknown' : 'gap' });
          } else {
            cursor = last;
          }
        }
        const resumedFrom = cursor;
        let first = true;
        while (!signal?.aborted && !feed.closed) {
          dirty = false;
          const page = await feed.read(cursor, ctx.scope, filters, LIVE_PAGE);
          if (first) {
            first = false;
            // a prune that ran between the bounds and the read may have taken changes we owe
            if ((await feed.bounds()).prunedThrough > resumedFrom) {
              const { head } = await feed.bounds();
              yield tracked(String(head), { type: 'refetch', reason: 'gap' });
              cursor = head;
              continue;
            }
          }
          for (const change of page.changes) yield tracked(String(change.eventId), changeToDto(change) as LiveEvent);
          cursor = page.through;
          if (page.changes.length === LIVE_PAGE) {
            // catching up from the in-memory tail needs no I/O: let other requests run between pages
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          if (dirty) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, LIVE_POLL_MS);
            function done() {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              wake = null;
              resolve();
            }
            wake = done;
            signal?.addEventListener('abort', done, { once: true });
          });
        }
      } finally {
        off();
      }
    }),
});
