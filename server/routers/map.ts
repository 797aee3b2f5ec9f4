import { z } from 'zod';
import { BadInputError } from '../domain/errors.js';
import { BboxSchema, FiltersSchema, ResolutionSchema } from '../domain/filters.js';
import { encodeHexbins, type HexbinsWire } from '../domain/hexbin-wire.js';
import type { CellRates } from '../store/exposure.js';
import { cellOf } from '../store/incident-queries.js';
import { authedProcedure, router } from '../trpc.js';
import { hotspotsProcedure } from './hotspots.js';

export const mapRouter = router({
  /**
   * Incidents aggregated into the H3 cells of one resolution, columnar, in the wire form of
   * server/domain/hexbin-wire.ts (decodeHexbins gives back Hexbins).
   */
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
    .query(
      async ({ ctx, input }): Promise<HexbinsWire> =>
        encodeHexbins(
          await ctx.store.hexbins({ resolution: input.resolution, filters: input.filters ?? {}, bbox: input.bbox, now: ctx.env.clock.now() }, ctx.scope),
        ),
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
