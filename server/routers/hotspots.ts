/**
 * map.hotspots: Gi* (mode 'gi') or emerging hot-spot classes (mode 'emerging') of the H3 cells
 * of one resolution for the current filter, analysed per city (cells of different cities are
 * not neighbours, and each city has its own level). The study area is the cells with incidents
 * (the ArcGIS space-time cube's convention); columnar like map.hexbins.
 */
import { z } from 'zod';
import { FiltersSchema, ResolutionSchema } from '../domain/filters.js';
import { EMERGING_MEANING, emergingHotSpots } from '../domain/hotspots/emerging.js';
import type { EmergingClass } from '../domain/hotspots/emerging.js';
import { giStar } from '../domain/hotspots/getis-ord.js';
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
      for (const city of await ctx.store.stats.cellCounts({ filters, resolution: input.resolution, now }, ctx.scope)) {
        const gi = giStar(new Map(city.cells.map((c, k) => [c, city.counts[k]!])));
        out.cells.push(...gi.cells);
        out.count.push(...city.counts);
        out.z.push(...gi.z);
        out.q.push(...gi.q);
        out.bin.push(...gi.bin);
      }
      return out;
    }
    const end = filters.to ? new Date(Math.min(Date.parse(filters.to), now.getTime())) : now;
    const out: EmergingHotspots = {
      mode: 'emerging', resolution: input.resolution, weeks: input.weeks,
      cells: [], count: [], class: [], z: [], trendZ: [], trendP: [], meaning: {},
    };
    const cubes = await ctx.store.stats.cellWeeks({ filters, resolution: input.resolution, weeks: input.weeks, end, now }, ctx.scope);
    for (const cube of cubes) {
      const result = emergingHotSpots({ cells: cube.cells, counts: cube.counts });
      out.cells.push(...result.cells);
      out.count.push(...cube.cells.map((_, k) => cube.counts.reduce((sum, step) => sum + step[k]!, 0)));
      out.class.push(...result.classes);
      out.z.push(...result.finalZ);
      out.trendZ.push(...result.trendZ);
      out.trendP.push(...result.trendP);
    }
    for (const c of new Set(out.class)) out.meaning[c] = EMERGING_MEANING[c];
    return out;
  });
