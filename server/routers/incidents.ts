import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { CellHexSchema, FiltersSchema } from '../domain/filters.js';
import type { Incident, IncidentEvent, IncidentListItem } from '../store/types.js';
import { INCIDENT_SORTS } from '../store/types.js';
import { authedProcedure, router } from '../trpc.js';

type Iso<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type IncidentListItemDto = Iso<IncidentListItem>;
export type IncidentDto = Iso<Incident>;
export type IncidentEventDto = Iso<IncidentEvent>;

/** Dates as ISO strings: the API has no transformer, so the types say what the JSON holds. */
function toIso<T extends object>(value: T): Iso<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out as Iso<T>;
}

export const incidentsRouter = router({
  /** The incidents of a cell (any resolution 5..11) or of the whole filter, keyset-paged. */
  list: authedProcedure
    .input(
      z
        .object({
          filters: FiltersSchema.optional(),
          cell: CellHexSchema.optional(),
          sort: z.enum(INCIDENT_SORTS).default('newest'),
          cursor: z.string().min(1).max(500).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) => {
      const page = await ctx.store.listIncidents({ ...input, filters: input.filters ?? {}, now: new Date() }, ctx.scope);
      return { items: page.items.map(toIso), nextCursor: page.nextCursor, total: page.total };
    }),

  /** One incident with its closure timeline. */
  byId: authedProcedure
    .input(z.object({ id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict())
    .query(async ({ ctx, input }) => {
      const found = await ctx.store.incidentById(input.id, ctx.scope);
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no incident ${input.id} that you may see.` });
      return { incident: toIso(found.incident), events: found.events.map(toIso) };
    }),
});
