import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ADMIN_LIMITS, CHAT_ID_PATTERN } from '../domain/admin-limits.js';
import { MAX_STORE_IDS } from '../domain/filters.js';
import { EMERGING_MEANING } from '../domain/hotspots/emerging.js';
import type { Alert, Delivery } from '../store/alerts.js';
import { webhookPolicy } from '../security/policy.js';
import { webhookUrlRefusal } from '../security/hosts.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** The most alerts one `ackMany` acknowledges: one page of the list (`list`'s `limit`). */
const ACK_MANY_MAX = 200;

/** The DTO: the alert, the class in plain words, and the map link path (`/?cell=`). */
function toDto(a: Alert) {
  return {
    id: a.id,
    storeId: a.storeId,
    storeCode: a.storeCode,
    storeName: a.storeName,
    cityId: a.cityId,
    cell: a.cell,
    resolution: a.resolution,
    class: a.class,
    meaning: EMERGING_MEANING[a.class],
    episode: a.episode,
    week: a.week,
    z: a.z,
    weekCount: a.weekCount,
    totalCount: a.totalCount,
    weeks: a.weeks,
    createdAt: a.createdAt.toISOString(),
    ackedAt: a.ackedAt?.toISOString() ?? null,
    ackedBy: a.ackedBy,
    ackedByName: a.ackedByName,
    delivery: a.delivery,
    mapPath: `/?cell=${a.cell}`,
  };
}

export const alertsRouter = router({
  /** Hot-spot alerts of the caller's stores, newest first; page with `beforeId` (the last id seen). */
  list: authedProcedure
    .input(
      z
        .object({
          storeIds: z.array(id.max(2_147_483_647)).min(1).max(MAX_STORE_IDS).optional(),
          acked: z.boolean().optional(),
          limit: z.number().int().min(1).max(200).default(50),
          beforeId: id.optional(),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) => {
      const items = await ctx.store.alerts.listAlerts({ scope: ctx.scope, ...input });
      return { items: items.map(toDto), nextBeforeId: items.length === input.limit ? items[items.length - 1]!.id : null };
    }),

  /** Acknowledge an alert of one of the caller's stores (idempotent: the first acknowledgement stands). */
  ack: roleProcedure('admin', 'analyst', 'store_manager')
    .input(z.object({ id }).strict())
    .mutation(async ({ ctx, input }) => {
      const alert = await ctx.store.alerts.ackAlert(input.id, ctx.user.id, ctx.scope, ctx.env.clock.now());
      if (!alert) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no alert ${input.id} among your stores` });
      return toDto(alert);
    }),

  /**
   * Acknowledges several alerts of the caller's stores at once (the list's "acknowledge all").
   * All or none: an id that is no alert among the caller's stores is NOT_FOUND and nothing changes.
   */
  ackMany: roleProcedure('admin', 'analyst', 'store_manager')
    .input(z.object({ ids: z.array(id).min(1, 'ids: give at least one alert id').max(ACK_MANY_MAX, `ids: at most ${ACK_MANY_MAX} at once`) }).strict())
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.store.alerts.ackAlerts(input.ids, ctx.user.id, ctx.scope, ctx.env.clock.now());
      if (result.missing.length) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `ids: no alert ${result.missing.slice(0, 10).join(', ')} among your stores; none was acknowledged` });
      }
      return { acked: result.acked };
    }),

  /** Feishu deliveries for admins; `status: 'failed'` lists the permanent errors to fix. */
  deliveries: roleProcedure('admin')
    .input(
      z
        .object({
          status: z.enum(['pending', 'sending', 'sent', 'failed']).optional(),
          /** The deliveries of one alert. */
          alertId: id.optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) =>
      (await ctx.store.alerts.listDeliveries(input)).map((d: Delivery) => ({
        ...d,
        nextAttemptAt: d.nextAttemptAt.toISOString(),
        createdAt: d.createdAt.toISOString(),
        sentAt: d.sentAt?.toISOString() ?? null,
      })),
    ),

  /** Where a store's alerts go: its group's custom bot webhook, or the app bot in a chat. Admins only. */
  setTarget: roleProcedure('admin')
    .input(
      z
        .object({
          storeId: id.max(2_147_483_647),
          channel: z.enum(['webhook', 'app']),
          // absent: keep the stored URL (its path holds the bot's token: admins see only its host)
          webhookUrl: z.url({ protocol: /^https?$/, message: 'webhookUrl: must be an http(s) URL' }).max(ADMIN_LIMITS.webhookUrlMax).nullable().optional(),
          // absent: keep the stored secret (the admin form never shows it); null: sign no more
          webhookSecret: z.string().min(1).max(ADMIN_LIMITS.webhookSecretMax).nullable().optional(),
          chatId: z.string().regex(CHAT_ID_PATTERN, 'chatId: must be a chat id such as oc_...').nullable().default(null),
          enabled: z.boolean().default(true),
        })
        .strict()
        .refine((t) => t.channel !== 'webhook' || t.webhookUrl !== null, { path: ['webhookUrl'], message: 'is required for channel webhook' })
        .refine((t) => t.channel !== 'app' || t.chatId, { path: ['chatId'], message: 'is required for channel app' }),
    )
    .mutation(async ({ ctx, input }) => {
      const stores = await ctx.store.listStores({ all: true }, { includeArchived: true });
      if (!stores.some((s) => s.id === input.storeId)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `storeId: no store ${input.storeId}.` });
      }
      // The server posts to this URL: only Feishu's and Lark's hosts and those an admin allowed.
      const refusal = input.channel === 'webhook' && input.webhookUrl ? webhookUrlRefusal(input.webhookUrl, webhookPolicy(ctx.env)) : null;
      if (refusal) throw new TRPCError({ code: 'BAD_REQUEST', message: `webhookUrl: ${refusal}.` });
      const current = input.channel === 'webhook' ? await ctx.store.alerts.getTarget(input.storeId) : null;
      const webhookUrl = input.channel !== 'webhook' ? null : input.webhookUrl !== undefined ? input.webhookUrl : (current?.webhookUrl ?? null);
      if (input.channel === 'webhook' && !webhookUrl) throw new TRPCError({ code: 'BAD_REQUEST', message: 'webhookUrl: is required for channel webhook' });
      const webhookSecret = input.channel !== 'webhook' ? null : input.webhookSecret !== undefined ? input.webhookSecret : (current?.webhookSecret ?? null);
      await ctx.store.alerts.setTarget({ ...input, webhookUrl, webhookSecret }, ctx.env.clock.now());
      return { ok: true as const };
    }),

  /** Sends a permanently failed delivery again (after its target was fixed). Admins only. */
  resend: roleProcedure('admin')
    .input(z.object({ id }).strict())
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.store.alerts.resendDelivery(input.id, ctx.env.clock.now());
      if (result === 'missing') throw new TRPCError({ code: 'NOT_FOUND', message: `id: no delivery ${input.id}.` });
      if (result === 'not_failed') throw new TRPCError({ code: 'CONFLICT', message: `id: delivery ${input.id} has not failed; only failed deliveries are sent again.` });
      return { ok: true as const };
    }),

  /** The stores' targets as admins may see them: the webhook's host and whether a secret is set, never the secret. */
  targets: roleProcedure('admin')
    .input(z.object({}).strict().optional())
    .query(async ({ ctx }) =>
      (await ctx.store.alerts.listTargets()).map(({ webhookUrl: _url, ...t }) => ({ ...t, updatedAt: t.updatedAt?.toISOString() ?? null })),
    ),
});
