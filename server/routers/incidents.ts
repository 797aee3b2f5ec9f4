import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  allowedTransitions,
  MAX_NOTE_CHARS,
  mayReview,
  mayWork,
  REJECT_REASONS,
  rejectionNote,
  REVIEW_DECISIONS,
  reviewDecisionOf,
  WORKING_ROLES,
  pathToClosed,
  WorkflowError,
} from '../domain/closure.js';
import { CellHexSchema, FiltersSchema } from '../domain/filters.js';
import { RESOLUTIONS, STATUSES } from '../domain/incident.js';
import { DUE_SOON_HOURS, isDueSoon, isOverdue } from '../domain/sla.js';
import { plainLine, plainText } from '../domain/text.js';
import { visiblePhotoUrl, visiblePhotoUrls } from '../security/policy.js';
import type { Env } from '../env.js';
import type { Incident, IncidentEvent, IncidentListItem } from '../store/types.js';
import { INCIDENT_SORTS } from '../store/types.js';
import type { TimelineEvent, WorkflowResult, WorkItem } from '../store/workflow.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

type Iso<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type IncidentListItemDto = Iso<IncidentListItem>;
export type IncidentDto = Iso<Incident>;
export type IncidentEventDto = Iso<IncidentEvent>;
export type TimelineEventDto = Iso<TimelineEvent>;
export type WorkItemDto = Iso<WorkItem>;

/** Dates as ISO strings: the API has no transformer, so the types say what the JSON holds. */
function toIso<T extends object>(value: T): Iso<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out as Iso<T>;
}

const IdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const VersionSchema = z.number().int().min(1).max(2_147_483_647);
const NoteSchema = plainText(z.string().max(MAX_NOTE_CHARS));

/**
 * The workflow's refusals as tRPC errors with the domain's code and message (which names the
 * field, and for CONFLICT the current status and version).
 */
const workflowProcedure = authedProcedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof WorkflowError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

function workflowResultDto(result: WorkflowResult, env: Env) {
  return { incident: toIso({ ...result.incident, photoUrls: visiblePhotoUrls(result.incident.photoUrls, env) }), event: toIso(result.event) };
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
      const page = await ctx.store.listIncidents({ ...input, filters: input.filters ?? {}, now: ctx.env.clock.now() }, ctx.scope);
      const items = page.items.map((i) => toIso({ ...i, photoUrl: visiblePhotoUrl(i.photoUrl, ctx.env) }));
      return { items, nextCursor: page.nextCursor, total: page.total };
    }),

  /**
   * One incident with its closure timeline (events with their kind, actor name and resolution),
   * its SLA state now, and the actions the signed-in user may take on it (and only those).
   */
  byId: authedProcedure
    .input(z.object({ id: IdSchema }).strict())
    .query(async ({ ctx, input }) => {
      const found = await ctx.store.incidentById(input.id, ctx.scope);
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no incident ${input.id} that you may see.` });
      const events = (await ctx.store.workflow.timeline(input.id, ctx.scope)) ?? [];
      const { incident } = found;
      const now = ctx.env.clock.now();
      // names, never ids: the store, its city and the assignee as a person reads them
      const [stores, cities, assignee] = await Promise.all([
        incident.storeId === null ? [] : ctx.store.listStores({ all: true }),
        ctx.store.listCities(),
        incident.assignee ? ctx.store.getUser(incident.assignee) : null,
      ]);
      const shop = stores.find((s) => s.id === incident.storeId);
      const city = cities.find((c) => c.id === incident.cityId);
      return {
        incident: toIso({ ...incident, photoUrls: visiblePhotoUrls(incident.photoUrls, ctx.env) }),
        names: {
          store: shop ? { code: shop.code, name: shop.name } : null,
          city: city ? { name: city.name, nameZh: city.nameZh } : null,
          assignee: assignee?.name ?? null,
        },
        events: events.map((e) => ({ ...toIso(e), decision: reviewDecisionOf(e) })),
        sla: { overdue: isOverdue(incident.status, incident.dueAt, now), dueSoon: isDueSoon(incident.status, incident.dueAt, now) },
        actions: {
          /** Statuses `transition` may move it to. */
          transitions: allowedTransitions(ctx.user, incident),
          review: mayReview(ctx.user, incident),
          comment: WORKING_ROLES.includes(ctx.user.role) && mayWork(ctx.user, incident.storeId),
        },
      };
    }),

  /**
   * Moves an incident along the closure state machine (server/domain/closure.ts): assign
   * (`assigneeId`, default the caller), start, close (`resolution` and `note` required), dismiss
   * (`reason` required), reopen (analysts and admins). `expectedVersion` is the version the
   * caller saw: when it moved on, CONFLICT says the current status and version.
   */
  transition: workflowProcedure
    .input(
      z
        .object({
          id: IdSchema,
          to: z.enum(STATUSES),
          expectedVersion: VersionSchema,
          note: NoteSchema.optional(),
          resolution: z.enum(RESOLUTIONS).optional(),
          assigneeId: plainLine(z.string().min(1).max(100)).optional(),
          reason: NoteSchema.optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { slaHours } = await ctx.store.security.settings(); // the admins' SLA, for a reopen's due time
      return workflowResultDto(await ctx.store.workflow.transition(input, ctx.user, ctx.env.clock.now(), slaHours), ctx.env);
    }),

  /**
   * Closes from wherever the incident stands, in one call (the work list's close): assigned to
   * the caller and started on the way when it is not yet. Each step is a transition of its own,
   * so the timeline shows the way as before; `expectedVersion` is checked at the first step.
   */
  close: workflowProcedure
    .input(
      z
        .object({
          id: IdSchema,
          expectedVersion: VersionSchema,
          resolution: z.enum(RESOLUTIONS),
          note: NoteSchema,
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      // checked before the first step: a close that cannot finish must not assign and start on the way
      if (!input.note.trim()) throw new TRPCError({ code: 'BAD_REQUEST', message: 'note: a note is required to close' });
      const found = await ctx.store.incidentById(input.id, ctx.scope);
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no incident ${input.id} in your stores` });
      const { slaHours } = await ctx.store.security.settings();
      let version = input.expectedVersion;
      let result: WorkflowResult | null = null;
      for (const to of pathToClosed(found.incident.status)) {
        const extra = to === 'closed' ? { resolution: input.resolution, note: input.note } : {};
        result = await ctx.store.workflow.transition({ id: input.id, to, expectedVersion: version, ...extra }, ctx.user, ctx.env.clock.now(), slaHours);
        version = result.incident.version;
      }
      return workflowResultDto(result!, ctx.env);
    }),

  /** Adds a note to the timeline; the incident (and its version) stays as it is. */
  comment: workflowProcedure
    .input(
      z
        .object({
          id: IdSchema,
          expectedVersion: VersionSchema.optional(),
          note: NoteSchema,
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => workflowResultDto(await ctx.store.workflow.comment(input, ctx.user, ctx.env.clock.now()), ctx.env)),

  /**
   * Decides on an AI detection awaiting review: `confirmed` keeps it in the workflow,
   * `rejected` dismisses it (the `note` is the reason, required) and leaves it out of the
   * closure rate.
   */
  review: workflowProcedure
    .input(
      z
        .object({
          id: IdSchema,
          decision: z.enum(REVIEW_DECISIONS),
          /** A rejection's quick reason (误检, 图片不清, 非骑手, 其他); with `other` the `note` says why. */
          reason: z.enum(REJECT_REASONS).optional(),
          note: NoteSchema.optional(),
          expectedVersion: VersionSchema.optional(),
        })
        .strict()
        .refine((r) => r.reason === undefined || r.decision === 'rejected', { path: ['reason'], message: 'only a rejection has a reason' })
        .refine((r) => r.reason !== 'other' || Boolean(r.note?.trim()), { path: ['note'], message: 'is required with reason other: say why' }),
    )
    .mutation(async ({ ctx, input }) => {
      const { reason, ...cmd } = input;
      const note = reason ? (rejectionNote(reason, cmd.note) ?? undefined) : cmd.note;
      return workflowResultDto(await ctx.store.workflow.review({ ...cmd, note }, ctx.user, ctx.env.clock.now()), ctx.env);
    }),

  /**
   * The caller's work: for store managers the open (not closed or dismissed) incidents of their
   * stores, for analysts and admins those assigned to them; sorted by due time, so overdue ones
   * come first, with overdue and due-soon counts. Plus the review queue: AI detections awaiting
   * review in the caller's stores (everywhere for analysts and admins).
   */
  myWork: roleProcedure(...WORKING_ROLES)
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).optional(),
          dueSoonHours: z.number().int().min(1).max(7 * 24).optional(),
        })
        .strict()
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const work = await ctx.store.workflow.myWork(ctx.user, {
        now: ctx.env.clock.now(),
        limit: input?.limit ?? 50,
        dueSoonHours: input?.dueSoonHours ?? DUE_SOON_HOURS,
      });
      return {
        basis: work.basis,
        work: { ...work.work, items: work.work.items.map((i) => toIso({ ...i, photoUrl: visiblePhotoUrl(i.photoUrl, ctx.env) })) },
        reviews: { ...work.reviews, items: work.reviews.items.map((i) => toIso({ ...i, photoUrl: visiblePhotoUrl(i.photoUrl, ctx.env) })) },
      };
    }),
});
