/**
 * The chart procedures of `stats`: time series, categories, hour of week and the store
 * ranking, each for the shared filter and the caller's stores. Spread into the stats router.
 */
import { z } from 'zod';
import { FiltersSchema } from '../domain/filters.js';
import { INTERVALS, RANKING_SORTS, SPLITS } from '../domain/stats-vocabulary.js';
import { authedProcedure } from '../trpc.js';

export const chartProcedures = {
  /** Incident counts per day, week or month (in each city's zone), optionally one series per kind or severity. */
  timeseries: authedProcedure
    .input(
      z
        .object({
          filters: FiltersSchema.optional(),
          interval: z.enum(INTERVALS).default('week'),
          split: z.enum(SPLITS).default('none'),
        })
        .strict(),
    )
    .query(({ ctx, input }) =>
      ctx.store.stats.timeseries({ filters: input.filters ?? {}, interval: input.interval, split: input.split, now: ctx.env.clock.now() }, ctx.scope),
    ),

  /** Incidents per kind and category, most frequent first. */
  categories: authedProcedure
    .input(z.object({ filters: FiltersSchema.optional() }).strict())
    .query(async ({ ctx, input }) => ({
      items: await ctx.store.stats.categories({ filters: input.filters ?? {}, now: ctx.env.clock.now() }, ctx.scope),
    })),

  /** A 7 x 24 grid (Monday first, hours 0-23 in each city's zone). */
  hourOfWeek: authedProcedure
    .input(z.object({ filters: FiltersSchema.optional() }).strict())
    .query(({ ctx, input }) => ctx.store.stats.hourOfWeek({ filters: input.filters ?? {}, now: ctx.env.clock.now() }, ctx.scope)),

  /**
   * Stores ranked over the filter's period (default the last 30 days): incidents, per month,
   * closure rate, overdue, and change against the period of equal length before it.
   */
  storeRanking: authedProcedure
    .input(
      z
        .object({
          filters: FiltersSchema.optional(),
          sort: z.enum(RANKING_SORTS).default('incidents'),
          limit: z.number().int().min(1).max(500).default(50),
        })
        .strict(),
    )
    .query(({ ctx, input }) =>
      ctx.store.stats.storeRanking({ filters: input.filters ?? {}, sort: input.sort, limit: input.limit, now: ctx.env.clock.now() }, ctx.scope),
    ),
};
