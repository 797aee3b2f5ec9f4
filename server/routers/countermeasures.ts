/**
 * Countermeasures on cells (issue 16): what was changed where and when, and whether incidents
 * dropped after it. Store managers work on their own stores; the store layer enforces the scope.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { COUNTERMEASURE_KINDS, VERDICT_MEANING, WINDOW_DAYS } from '../domain/countermeasures.js';
import type { CountermeasureEvaluation } from '../domain/countermeasures.js';
import { CellHexSchema, MAX_STORE_IDS } from '../domain/filters.js';
import type { Countermeasure } from '../store/countermeasures.js';
import { CountermeasureConflictError } from '../store/countermeasures.js';
import { COUNTERMEASURE_LIMITS, INCIDENT_KINDS_COUNTED } from '../domain/countermeasure-vocabulary.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

const IdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const StoreIdSchema = z.number().int().min(1).max(2_147_483_647);
/** A countermeasure covers a junction or a stretch of road: a few cells, not a city. */
export const MAX_COUNTERMEASURE_CELLS = 50;

const fields = {
  title: z.string().trim().min(1).max(COUNTERMEASURE_LIMITS.titleMax),
  kind: z.enum(COUNTERMEASURE_KINDS),
  incidentKind: z.enum(INCIDENT_KINDS_COUNTED),
  startDate: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
  owner: z.string().trim().min(1).max(COUNTERMEASURE_LIMITS.ownerMax),
  note: z.string().max(COUNTERMEASURE_LIMITS.noteMax).nullable(),
  cells: z.array(CellHexSchema).min(1).max(MAX_COUNTERMEASURE_CELLS),
};

export function countermeasureDto(c: Countermeasure) {
  return {
    id: c.id,
    storeId: c.storeId,
    storeCode: c.storeCode,
    storeName: c.storeName,
    cityId: c.cityId,
    title: c.title,
    kind: c.kind,
    incidentKind: c.incidentKind,
    startDate: c.startDate,
    startsAt: c.startsAt.toISOString(),
    owner: c.owner,
    note: c.note,
    cells: c.cells,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
  };
}
export type CountermeasureDto = ReturnType<typeof countermeasureDto>;

export function evaluationDto(e: CountermeasureEvaluation) {
  return {
    before: e.before,
    after: e.after,
    basis: e.basis,
    rateRatio: e.rateRatio,
    ci95: e.ci95,
    pValue: e.pValue,
    verdict: e.verdict,
    meaning: VERDICT_MEANING[e.verdict],
  };
}

/** The store's refusals as tRPC errors: a raced update is a CONFLICT naming the current version. */
const countermeasureProcedure = (roles: Parameters<typeof roleProcedure>) =>
  roleProcedure(...roles).use(async ({ next }) => {
    const result = await next();
    if (!result.ok && result.error.cause instanceof CountermeasureConflictError) {
      throw new TRPCError({ code: 'CONFLICT', message: result.error.cause.message, cause: result.error.cause });
    }
    return result;
  });

export const countermeasuresRouter = router({
  /** Turn one or more cells into a countermeasure of one of the caller's stores. */
  create: countermeasureProcedure(['admin', 'analyst', 'store_manager'])
    .input(
      z
        .object({
          storeId: StoreIdSchema,
          ...fields,
          incidentKind: fields.incidentKind.default('accident'),
          note: fields.note.default(null),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) =>
      countermeasureDto(await ctx.store.countermeasures.create(input, ctx.user.id, ctx.scope, ctx.env.clock.now())),
    ),

  /** The caller's countermeasures, latest start first. */
  list: authedProcedure
    .input(
      z
        .object({
          storeIds: z.array(StoreIdSchema).min(1).max(MAX_STORE_IDS).optional(),
          cityId: StoreIdSchema.optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) =>
      (await ctx.store.countermeasures.list({ scope: ctx.scope, ...input })).map(countermeasureDto),
    ),

  /**
   * The map layer: the caller's latest countermeasures with their cells and current verdict
   * (each evaluated with the default windows).
   */
  layer: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(100) }).strict().default({ limit: 100 }))
    .query(async ({ ctx, input }) => {
      const now = ctx.env.clock.now();
      const list = await ctx.store.countermeasures.list({ scope: ctx.scope, limit: input.limit });
      const out = [];
      for (const c of list) {
        const e = await ctx.store.countermeasures.evaluate(c, now);
        out.push({ id: c.id, title: c.title, storeId: c.storeId, cells: c.cells, verdict: e.verdict, rateRatio: e.rateRatio });
      }
      return out;
    }),

  byId: authedProcedure.input(z.object({ id: IdSchema }).strict()).query(async ({ ctx, input }) => {
    const found = await ctx.store.countermeasures.byId(input.id, ctx.scope);
    if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no countermeasure ${input.id} among your stores` });
    return countermeasureDto(found);
  }),

  /** Change some fields; `version` is the one the caller saw (CONFLICT when it moved on). */
  update: countermeasureProcedure(['admin', 'analyst', 'store_manager'])
    .input(
      z
        .object({
          id: IdSchema,
          version: z.number().int().min(1).max(2_147_483_647),
          title: fields.title.optional(),
          kind: fields.kind.optional(),
          incidentKind: fields.incidentKind.optional(),
          startDate: fields.startDate.optional(),
          owner: fields.owner.optional(),
          note: fields.note.optional(),
          cells: fields.cells.optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { id, version, ...patch } = input;
      const updated = await ctx.store.countermeasures.update(id, version, patch, ctx.scope, ctx.env.clock.now());
      if (!updated) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no countermeasure ${id} among your stores` });
      return countermeasureDto(updated);
    }),

  /**
   * Before/after: equal windows (8 weeks each by default, both shorter when less time has
   * passed), the exact conditional Poisson test, and a verdict.
   */
  evaluate: authedProcedure
    .input(z.object({ id: IdSchema, windowDays: z.number().int().min(7).max(365).default(WINDOW_DAYS) }).strict())
    .query(async ({ ctx, input }) => {
      const found = await ctx.store.countermeasures.byId(input.id, ctx.scope);
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no countermeasure ${input.id} among your stores` });
      const evaluation = await ctx.store.countermeasures.evaluate(found, ctx.env.clock.now(), input.windowDays);
      return { countermeasure: countermeasureDto(found), ...evaluationDto(evaluation) };
    }),
});
