/**
 * How far to trust the AI (issue 16): confirm rate, review time and backlog per AI category and
 * month; the review queue by expected value; bulk confirmation above the admins' threshold; the
 * suggested threshold. Scoped like every query: store managers see their stores' detections.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MIN_SAMPLES, TARGET_CONFIRM_RATE } from '../domain/ai-trust.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

const Confidence = z.number().min(0).max(1);
const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO time with offset' });

export const aiTrustRouter = router({
  /** Per AI category (all time or the period) and per category and month. */
  figures: authedProcedure
    .input(z.object({ from: Instant.optional(), to: Instant.optional() }).strict())
    .query(async ({ ctx, input }) => {
      const figures = await ctx.store.aiTrust.figures(
        { from: input.from ? new Date(input.from) : undefined, to: input.to ? new Date(input.to) : undefined, now: ctx.env.clock.now() },
        ctx.scope,
      );
      return figures;
    }),

  /** Detections awaiting review, highest expected value (confidence x severity weight) first. */
  queue: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50), minConfidence: Confidence.optional() }).strict())
    .query(async ({ ctx, input }) => {
      const { items, total } = await ctx.store.aiTrust.queue(input, ctx.scope);
      return { total, items: items.map((i) => ({ ...i, occurredAt: i.occurredAt.toISOString(), createdAt: i.createdAt.toISOString() })) };
    }),

  /** The admins' bulk-confirm threshold (null: off) and the suggestion from past decisions. */
  threshold: authedProcedure.input(z.object({}).strict().default({})).query(async ({ ctx }) => ({
    bulkThreshold: await ctx.store.aiTrust.bulkThreshold(),
    suggested: await ctx.store.aiTrust.suggestedThreshold(ctx.scope),
    rule: `the lowest confidence above which at least ${TARGET_CONFIRM_RATE * 100} % of at least ${MIN_SAMPLES} past decided detections were confirmed`,
  })),

  /** Admins set the threshold above which detections may be confirmed in bulk (null turns it off). */
  setThreshold: roleProcedure('admin')
    .input(z.object({ bulkThreshold: z.number().min(0.5).max(1).nullable() }).strict())
    .mutation(async ({ ctx, input }) => {
      await ctx.store.aiTrust.setBulkThreshold(input.bulkThreshold);
      return { bulkThreshold: input.bulkThreshold };
    }),

  /**
   * Confirms the caller's detections awaiting review with confidence >= `threshold` (default and
   * minimum: the admins' threshold), up to 500 per call, each with its timeline entry.
   */
  bulkConfirm: roleProcedure('admin', 'analyst', 'store_manager')
    .input(z.object({ threshold: Confidence.optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const floor = await ctx.store.aiTrust.bulkThreshold();
      if (floor === null) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'threshold: bulk confirmation is off until an admin sets a threshold' });
      const threshold = input.threshold ?? floor;
      if (threshold < floor) throw new TRPCError({ code: 'BAD_REQUEST', message: `threshold: must be at least the admins' ${floor}` });
      return { threshold, ...(await ctx.store.aiTrust.bulkConfirm(threshold, ctx.user, ctx.scope, ctx.env.clock.now())) };
    }),
});
