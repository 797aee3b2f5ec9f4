/**
 * Live updates on screen (issue 14): one `live.changes` subscription (SSE) for the current
 * filters. Each change updates the cached hexbins of these filters in place (the visible
 * resolution included: no map refetch), and marks the small queries that may show the incident
 * stale: the open incident, the lists, the KPI cards and the work list (refetched together,
 * a moment after a burst of changes). New incidents pulse on the map and count towards
 * "N new since HH:MM" until viewed.
 *
 * The stream pauses while the page is hidden (a phone's locked screen, a background tab) and
 * resumes with the last event id: the server sends everything missed, once; or, after a gap
 * longer than it keeps, a `refetch`, and everything shown is reloaded.
 */
import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../../../../server/routers/live.js';
import { appNow } from '../../../lib/clock.js';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';
import { trpc, trpcClient } from '../../../lib/trpc.js';
import { applyChangeToHexbins } from '../lib/apply-change.js';
import type { CellOf, HexbinColumns, LiveChange } from '../lib/apply-change.js';

/** How long a new incident pulses on the map. */
export const PULSE_MS = 2_500;
/** Changes arriving within this long refetch the lists, KPIs and work list once (a busy feed must not refetch them on every change). */
const FLUSH_MS = 1_000;

export interface Pulse {
  /** Unique per pulse (the event id). */
  key: string;
  lat: number;
  lng: number;
  startedMs: number;
}

export interface LiveUpdates {
  /** New incidents since `since` not yet viewed. */
  newCount: number;
  since: Date | null;
  pulses: Pulse[];
  /** Whether the stream is open (false while paused or reconnecting). */
  connected: boolean;
  markViewed: () => void;
}

/** The input of a `map.hexbins` query from its tRPC query key (`[path, {input, type}]`). */
function hexbinsInput(key: QueryKey): { filters?: IncidentFilters; bbox?: Bbox } | null {
  const meta = key[1] as { input?: { filters?: IncidentFilters; bbox?: Bbox } } | undefined;
  return meta?.input ?? null;
}

/**
 * h3-js, loaded on the first change rather than with the first screen (61 kB gz; the map's own
 * chunk shares it, so once the map is drawn this costs nothing).
 */
let cellOfLoading: Promise<CellOf> | null = null;
function loadCellOf(): Promise<CellOf> {
  return (cellOfLoading ??= import('h3-js').then(
    (h3) => h3.latLngToCell,
    (error: unknown) => {
      cellOfLoading = null; // try again on the next change
      throw error;
    },
  ));
}

function applyToHexbins(queryClient: QueryClient, change: LiveChange, filterKey: string, filters: IncidentFilters, cellOf: CellOf): void {
  const now = appNow().getTime();
  for (const [key, data] of queryClient.getQueriesData<HexbinColumns>({ queryKey: trpc.map.hexbins.queryKey() })) {
    const input = hexbinsInput(key);
    if (!data || !input) continue;
    if (JSON.stringify(input.filters ?? {}) === filterKey) {
      queryClient.setQueryData(key, applyChangeToHexbins(data, change, filters, input.bbox, now, cellOf));
    } else {
      // answers for other filters are not on screen: fetched afresh when they are again
      void queryClient.invalidateQueries({ queryKey: key, exact: true, refetchType: 'none' });
    }
  }
}

export function useLiveUpdates(filters: IncidentFilters, openIncidentId: number | null): LiveUpdates {
  const queryClient = useQueryClient();
  const [newCount, setNewCount] = useState(0);
  const [since, setSince] = useState<Date | null>(null);
  const [pulses, setPulses] = useState<Pulse[]>([]);
  const [connected, setConnected] = useState(false);
  const openRef = useRef(openIncidentId);
  openRef.current = openIncidentId;
  const filterKey = JSON.stringify(filters);

  useEffect(() => {
    let lastEventId: string | null = null;
    let subscription: { unsubscribe(): void } | null = null;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    const touched = new Set<number>();
    const meKey = JSON.stringify(trpc.auth.me.queryKey()[0]);

    const flush = () => {
      flushTimer = null;
      const ids = [...touched];
      touched.clear();
      void queryClient.invalidateQueries({ queryKey: trpc.stats.kpis.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.incidents.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.incidents.myWork.queryKey() });
      if (openRef.current !== null && ids.includes(openRef.current)) {
        void queryClient.invalidateQueries({ queryKey: trpc.incidents.byId.queryKey({ id: openRef.current }) });
      }
    };
    const refetchAll = () => queryClient.invalidateQueries({ predicate: (q) => JSON.stringify(q.queryKey[0]) !== meKey });

    // changes are applied in arrival order, each after h3-js has loaded (at once after the first)
    let applied: Promise<unknown> = Promise.resolve();
    let closed = false;

    const onEvent = (event: LiveEvent) => {
      if (event.type === 'ready') return;
      if (event.type === 'refetch') return void refetchAll();
      applied = applied
        .then(loadCellOf)
        .then((cellOf) => {
          if (!closed) applyToHexbins(queryClient, event, filterKey, filters, cellOf);
        })
        // h3-js failed to load (a dropped connection): refetch the hexbins rather than show stale counts
        .catch(() => queryClient.invalidateQueries({ queryKey: trpc.map.hexbins.queryKey() }));
      touched.add(event.id);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
      if (event.type === 'incident.created') {
        setNewCount((n) => n + 1);
        setSince((s) => s ?? appNow());
        const pulse: Pulse = { key: `${event.id}:${event.changedAt}`, lat: event.lat, lng: event.lng, startedMs: performance.now() };
        setPulses((p) => [...p.filter((x) => performance.now() - x.startedMs < PULSE_MS), pulse]);
      }
    };

    const start = () => {
      if (subscription) return;
      subscription = trpcClient.live.changes.subscribe(
        { filters, ...(lastEventId ? { lastEventId } : {}) },
        {
          onStarted: () => setConnected(true),
          onData: (tracked) => {
            lastEventId = tracked.id;
            onEvent(tracked.data as LiveEvent);
          },
          onError: () => setConnected(false),
          onConnectionStateChange: (state) => setConnected(state.state === 'pending'),
        },
      );
    };
    const stop = () => {
      subscription?.unsubscribe();
      subscription = null;
      setConnected(false);
    };
    const onVisibility = () => (document.hidden ? stop() : start());

    if (!document.hidden) start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      closed = true;
      document.removeEventListener('visibilitychange', onVisibility);
      stop();
      if (flushTimer) clearTimeout(flushTimer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the stream follows the filters by value: `filters` is the same value as filterKey
  }, [filterKey, queryClient]);

  // pulses fade out on their own
  useEffect(() => {
    if (!pulses.length) return;
    const timer = setTimeout(() => setPulses((p) => p.filter((x) => performance.now() - x.startedMs < PULSE_MS)), PULSE_MS);
    return () => clearTimeout(timer);
  }, [pulses]);

  const markViewed = useCallback(() => {
    setNewCount(0);
    setSince(null);
  }, []);

  return { newCount, since, pulses, connected, markViewed };
}
