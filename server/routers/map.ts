import { z } from 'zod';
import { BboxSchema, FiltersSchema, ResolutionSchema } from '../domain/filters.js';
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

  /** Gi* or emerging hot-spot classes of one resolution (server/routers/hotspots.ts). */
  hotspots: hotspotsProcedure,
});
