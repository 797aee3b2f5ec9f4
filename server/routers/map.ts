import { z } from 'zod';
import { BadInputError } from '../domain/errors.js';
import { BboxSchema, FiltersSchema, ResolutionSchema } from '../domain/filters.js';
import type { CellRates } from '../store/exposure.js';
import { cellOf } from '../store/incident-queries.js';
import type { Hexbins } from '../store/types.js';
import { authedProcedure, router } from '../trpc.js';
import { hotspotsProcedure } from './hotspots.js';

export const mapRouter = router({
  /** Incidents aggregated into the H3 cells of one resolution, columnar (see Hexbins). */
  hexbins: authedProcedure
    .input(
      z
        .object({
          resolution: ResolutionSchema,
          filters: FiltersSchema.optional(),
          bbox: BboxSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }): Promise<Hexbins> =>
      ctx.store.hexbins({ resolution: input.resolution, filters: input.filters ?? {}, bbox: input.bbox, now: ctx.env.clock.now() }, ctx.scope),
    ),

  /**
   * Incidents per 1,000 deliveries (raw and smoothed by empirical Bayes per city) of the cells
   * with per-cell exposure, at one resolution, in the box or of one cell (see CellRates).
   */
  exposureRates: authedProcedure
    .input(
      z
        .object({
          resolution: ResolutionSchema,
          filters: FiltersSchema.optional(),
          bbox: BboxSchema.optional(),
          cell: z.string().min(1).max(16).optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }): Promise<CellRates> => {
      if (input.cell !== undefined && cellOf(input.cell).resolution !== input.resolution) {
        throw new BadInputError('cell', `is not a cell of resolution ${input.resolution}`);
      }
      return ctx.store.exposure.cellRates({ resolution: input.resolution, filters: input.filters ?? {}, bbox: input.bbox, cell: input.cell, now: ctx.env.clock.now() }, ctx.scope);
    }),

  /** Gi* or emerging hot-spot classes of one resolution (server/routers/hotspots.ts). */
  hotspots: hotspotsProcedure,
});
