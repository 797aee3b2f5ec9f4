/**
 * map.hotspots: Gi* (mode 'gi') or emerging hot-spot classes (mode 'emerging') of the H3 cells
 * of one resolution for the current filter, analysed per city by server/analysis/hotspots.ts
 * (the analysis the alert scan uses); columnar like map.hexbins.
 */
import { z } from 'zod';
import { emergingByCity, giByCity } from '../analysis/hotspots.js';
import { FiltersSchema, ResolutionSchema } from '../domain/filters.js';
import { EMERGING_MEANING } from '../domain/hotspots/emerging.js';
import type { EmergingClass } from '../domain/hotspots/emerging.js';
import { authedProcedure } from '../trpc.js';

export interface GiHotspots {
  mode: 'gi';
  resolution: number;
  cells: string[];
  count: number[];
  z: number[];
  /** FDR-adjusted p. */
  q: number[];
  /** +3/+2/+1 hot at 99/95/90 %, negatives cold, 0 not significant. */
  bin: number[];
}

export interface EmergingHotspots {
  mode: 'emerging';
  resolution: number;
  /** Complete weeks analysed. */
  weeks: number;
  cells: string[];
  /** Incidents over the weeks analysed. */
  count: number[];
  class: EmergingClass[];
  /** Gi* z of the latest week; Mann-Kendall of the weekly z-scores. */
  z: number[];
  trendZ: number[];
  trendP: number[];
  /** Plain-words meaning of each class present. */
  meaning: Partial<Record<EmergingClass, string>>;
}

export const hotspotsProcedure = authedProcedure
  .input(
    z
      .object({
        resolution: ResolutionSchema,
        filters: FiltersSchema.optional(),
        mode: z.enum(['gi', 'emerging']),
        /** Emerging: weekly steps ending with the last complete week before `filters.to` (or now). */
        weeks: z.number().int().min(4).max(104).default(12),
      })
      .strict(),
  )
  .query(async ({ ctx, input }): Promise<GiHotspots | EmergingHotspots> => {
    const filters = input.filters ?? {};
    const now = ctx.env.clock.now();
    if (input.mode === 'gi') {
      const out: GiHotspots = { mode: 'gi', resolution: input.resolution, cells: [], count: [], z: [], q: [], bin: [] };
      for (const city of await giByCity(ctx.store.stats, { filters, resolution: input.resolution, now }, ctx.scope)) {
        out.cells.push(...city.cells);
        out.count.push(...city.counts);
        out.z.push(...city.z);
        out.q.push(...city.q);
        out.bin.push(...city.bin);
      }
      return out;
    }
    const end = filters.to ? new Date(Math.min(Date.parse(filters.to), now.getTime())) : now;
    const out: EmergingHotspots = {
      mode: 'emerging', resolution: input.resolution, weeks: input.weeks,
      cells: [], count: [], class: [], z: [], trendZ: [], trendP: [], meaning: {},
    };
    for (const city of await emergingByCity(ctx.store.stats, { filters, resolution: input.resolution, weeks: input.weeks, end, now }, ctx.scope)) {
      out.cells.push(...city.cells);
      out.count.push(...city.totals);
      out.class.push(...city.classes);
      out.z.push(...city.finalZ);
      out.trendZ.push(...city.trendZ);
      out.trendP.push(...city.trendP);
    }
    for (const c of new Set(out.class)) out.meaning[c] = EMERGING_MEANING[c];
    return out;
  });
