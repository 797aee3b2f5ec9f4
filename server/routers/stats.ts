import { z } from 'zod';
import type { Filters } from '../domain/filters.js';
import { FiltersSchema } from '../domain/filters.js';
import {
  CLOSURE_SCOPE_LEVELS,
  monthlyClosureRate,
  closureSeries,
  closureMonths,
} from '../domain/closure.js';
import { authedProcedure, router } from '../trpc.js';
import { chartProcedures } from './stats-charts.js';

/** Longest closure-rate series: three years of months. */
export const MAX_CLOSURE_MONTHS = 36;

/**
 * The closure rate measures status over a window of months, so it takes the filter's where and
 * what (kinds, categories, severities, review, stores, cities, free text) but not its time range,
 * statuses or overdue-only: the months choose the time, and the rate is about the status.
 */
function closureFilters(filters: Filters | undefined): Filters {
  const { from: _from, to: _to, statuses: _statuses, overdueOnly: _overdueOnly, ...rest } = filters ?? {};
  return rest;
}

export const statsRouter = router({
  ...chartProcedures,
  /**
   * The monthly closure-rate target of the settings (a fraction 0..1; admins change it), for
   * views that draw against it without the rate itself: the map's share-closed classes.
   */
  closureTarget: authedProcedure.query(async ({ ctx }) => ({ target: (await ctx.store.security.settings()).closureTarget })),
  /**
   * Monthly closure rate (../DESIGN.md "Monthly closure rate"), as series per scope level:
   * `by: 'all'` one series; `'city'` one per city; `'store'` one per store (a city's incidents
   * outside every store's area as a series with `id: null`), all limited to the caller's stores.
   * Months are calendar months in each city's zone, `months` of them ending with the current
   * one, oldest first. For month M: `occurred` = incidents that occurred in M, rejected and
   * pending AI detections excluded; `closedNow` = of those, closed or dismissed now;
   * `closedByEnd` = of those, closed or dismissed at the end of M (from the timeline: an
   * incident closed in M and reopened since counts there, not now). For the current month the
   * end has not come, so by-end equals now. Rates are null for months without incidents.
   */
  closureRate: authedProcedure
    .input(
      z
        .object({
          filters: FiltersSchema.optional(),
          months: z.number().int().min(1).max(MAX_CLOSURE_MONTHS).default(12),
          by: z.enum(CLOSURE_SCOPE_LEVELS).default('all'),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) => {
      const [cities, stores] = await Promise.all([ctx.store.listCities(), ctx.store.listStores(ctx.scope)]);
      const months = closureMonths(ctx.env.clock.now(), input.months, cities.map((c) => c.tz));
      const cells = await ctx.store.workflow.closureCounts({ filters: closureFilters(input.filters), months }, ctx.scope);
      const cityName = new Map(cities.map((c) => [c.id, c.name]));
      const storeName = new Map(stores.map((s) => [s.id, `${s.code} ${s.name}`]));
      const series = closureSeries(cells, months, input.by).map((s) => ({
        ...s,
        name:
          s.level === 'all'
            ? 'all'
            : s.level === 'city'
              ? (cityName.get(s.id!) ?? `city ${s.id}`)
              : s.id === null
                ? `${cityName.get(s.cityId!) ?? `city ${s.cityId}`}: outside every store`
                : (storeName.get(s.id) ?? `store ${s.id}`),
      }));
      series.sort((a, b) => a.name.localeCompare(b.name));
      return { target: (await ctx.store.security.settings()).closureTarget, by: input.by, months, series };
    }),

  /**
   * The KPI cards of a filter: incidents, open (not closed or dismissed), overdue and pending
   * review now, over the whole filter; and the closure rate as of now for this month and the
   * trailing 3 months (this month and the two before, pooled), with the closure-rate filter
   * rule of `closureRate` (monthlyClosureRate), against the target.
   */
  kpis: authedProcedure
    .input(z.object({ filters: FiltersSchema.optional() }).strict())
    .query(async ({ ctx, input }) => {
      const now = ctx.env.clock.now();
      const cities = await ctx.store.listCities();
      const months = closureMonths(now, 3, cities.map((c) => c.tz));
      const [counts, cells] = await Promise.all([
        ctx.store.workflow.kpiCounts(input.filters ?? {}, now, ctx.scope),
        ctx.store.workflow.closureCounts({ filters: closureFilters(input.filters), months }, ctx.scope),
      ]);
      const [all] = closureSeries(cells, months, 'all');
      const last = months.length - 1;
      const occurred3 = all!.occurred.reduce((a, b) => a + b, 0);
      const closed3 = all!.closedNow.reduce((a, b) => a + b, 0);
      return {
        asOf: now.toISOString(),
        ...counts,
        target: (await ctx.store.security.settings()).closureTarget,
        thisMonth: {
          month: months[last]!,
          occurred: all!.occurred[last]!,
          closed: all!.closedNow[last]!,
          rate: all!.rateNow[last]!,
        },
        trailing3: { months, occurred: occurred3, closed: closed3, rate: monthlyClosureRate(closed3, occurred3) },
      };
    }),
});
