/**
 * Administration (admins only): users and their roles and stores, stores, API keys of the ingest
 * API, and settings (first sign-ins as viewers, SLA hours, closure-rate target).
 */
import { toStoreDto } from './stores.js';
import type { StoreDto } from './stores.js';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ADMIN_LIMITS, OPEN_ID_PATTERN, USER_ID_PATTERN } from '../domain/admin-limits.js';
import { ROLES } from '../domain/incident.js';
import type { AdminSettings } from '../store/security.js';
import type { User } from '../store/types.js';
import { roleProcedure, router } from '../trpc.js';
import { COORD_SYSTEMS } from '../ingest/coords.js';
import type { CoordSystem } from '../ingest/coords.js';
import { importJobsFor } from '../ingest/import-jobs.js';
import type { ImportJobDto } from '../ingest/import-jobs.js';
import { PROFILES } from '../ingest/profiles/index.js';

const adminProcedure = roleProcedure('admin');

export interface AdminUserDto {
  id: string;
  name: string;
  role: User['role'];
  storeIds: number[];
  feishuOpenId: string | null;
  /** Disabled from the command line (`npm run users -- disable`): cannot sign in. */
  disabled: boolean;
}

export interface AdminStoreDto extends StoreDto {
  archived: boolean;
  /** Earlier codes, oldest first (a change keeps the store's id and so its history). */
  previousCodes: string[];
}

export interface ApiKeyDto {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const id32 = z.number().int().min(1).max(2_147_483_647);

const UserInputSchema = z
  .object({
    id: z.string().trim().min(1).max(ADMIN_LIMITS.userIdMax).regex(USER_ID_PATTERN, 'may hold letters, digits and . _ @ - only'),
    name: z.string().trim().min(1).max(ADMIN_LIMITS.userNameMax),
    role: z.enum(ROLES),
    storeIds: z.array(id32).max(1000),
    feishuOpenId: z.string().trim().min(1).max(ADMIN_LIMITS.openIdMax).regex(OPEN_ID_PATTERN, 'must be a Feishu open id (ou_...)').nullable(),
  })
  .strict();

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `Hong Kong` -> `hong-kong`: the key imports and the demo name a city by. */
function cityKeyOf(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

const CityInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is empty').max(ADMIN_LIMITS.cityNameMax, `is longer than ${ADMIN_LIMITS.cityNameMax} characters`),
    nameZh: z.string().trim().min(1, 'is empty').max(ADMIN_LIMITS.cityNameMax, `is longer than ${ADMIN_LIMITS.cityNameMax} characters`).nullable(),
    tz: z.string().trim().min(1).max(ADMIN_LIMITS.timeZoneMax).refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    centerLat: z.number().min(-90).max(90),
    centerLng: z.number().min(-180).max(180),
  })
  .strict();

const StoreInputSchema = z
  .object({
    code: z.string().trim().min(1).max(ADMIN_LIMITS.storeCodeMax),
    name: z.string().trim().min(1).max(ADMIN_LIMITS.storeNameMax),
    cityId: id32,
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    /** Delivery radius in metres. */
    radiusM: z.number().int().min(ADMIN_LIMITS.radiusMinM).max(ADMIN_LIMITS.radiusMaxM),
  })
  .strict();

const SettingsSchema = z
  .object({
    autoViewer: z.boolean(),
    slaHours: z
      .object({ 1: slaHours(), 2: slaHours(), 3: slaHours(), 4: slaHours() })
      .strict(),
    closureTarget: z.number().min(0).max(1),
    /** Optional: a form that does not show the work loop leaves it as it was. */
    workLoop: z
      .object({
        digestTimes: z
          .record(z.string().regex(/^(default|\d{1,9})$/, 'must be "default" or a city id'), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 08:30'))
          .refine((times) => Object.keys(times).length <= 500, 'at most 500 cities'),
        dailySummary: z.boolean(),
        toStoreGroup: z.boolean(),
        escalateAfterHours: z.number().int().min(1).max(24 * 30),
      })
      .strict()
      .optional(),
  })
  .strict();

function slaHours() {
  return z.number().int().min(ADMIN_LIMITS.slaMinHours).max(ADMIN_LIMITS.slaMaxHours);
}

function toAdminUser(u: User, disabledIds: readonly string[]): AdminUserDto {
  return { id: u.id, name: u.name, role: u.role, storeIds: [...u.storeIds], feishuOpenId: u.feishuOpenId, disabled: disabledIds.includes(u.id) };
}

export interface ImportProfileDto {
  name: string;
  target: 'incidents' | 'stores' | 'exposure';
  /** Coordinate systems the file may be in (converted to WGS-84). */
  coords: CoordSystem[];
  columns: { name: string; required: boolean; description: string }[];
}

const jobId = z.object({ id: z.uuid() }).strict();

export const adminRouter = router({
  /** Browser imports (the upload itself is POST /api/admin/imports, server/api/import-upload.ts). */
  imports: router({
    /** Every registered profile: the page lists these, so a new profile needs no client change. */
    profiles: adminProcedure.query((): ImportProfileDto[] =>
      Object.values(PROFILES).map((p) => ({
        name: p.name,
        target: p.target,
        // every profile converts its coordinates with toWgs84 (profiles/*.ts)
        coords: [...COORD_SYSTEMS],
        columns: p.columns.map((c) => ({ name: c.name, required: c.required, description: c.description })),
      })),
    ),

    /** The running browser import, if any (a page opened mid-import picks it up). */
    current: adminProcedure.query(({ ctx }): ImportJobDto | null => importJobsFor(ctx.store).running()),

    status: adminProcedure.input(jobId).query(({ ctx, input }): ImportJobDto => {
      const job = importJobsFor(ctx.store).get(input.id);
      if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no import ${input.id} (finished imports are kept for a while only).` });
      return job;
    }),

    /** Stops the import at its next batch and rolls it back: nothing of the file is stored. */
    cancel: adminProcedure.input(jobId).mutation(({ ctx, input }) => {
      const jobs = importJobsFor(ctx.store);
      if (!jobs.get(input.id)) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no import ${input.id}.` });
      if (!jobs.cancel(input.id)) throw new TRPCError({ code: 'CONFLICT', message: 'id: the import has already ended.' });
      return { ok: true };
    }),
  }),

  users: router({
    list: adminProcedure.query(async ({ ctx }): Promise<AdminUserDto[]> => {
      const [users, disabled] = await Promise.all([ctx.store.listUsers(), ctx.store.security.disabledUserIds()]);
      return users.map((u) => toAdminUser(u, disabled));
    }),

    /** Create or update by id. Store managers and viewers see only their stores. */
    save: adminProcedure.input(UserInputSchema).mutation(async ({ ctx, input }): Promise<AdminUserDto> => {
      if (input.id === ctx.user.id && input.role !== 'admin') {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'role: you cannot take the admin role from yourself (ask another admin).' });
      }
      const known = new Set((await ctx.store.listStores({ all: true }, { includeArchived: true })).map((s) => s.id));
      const unknown = input.storeIds.filter((id) => !known.has(id));
      if (unknown.length) throw new TRPCError({ code: 'BAD_REQUEST', message: `storeIds: no store ${unknown.join(', ')}.` });
      if (input.feishuOpenId) {
        const other = await ctx.store.security.userIdByFeishuOpenId(input.feishuOpenId);
        if (other && other !== input.id) {
          throw new TRPCError({ code: 'CONFLICT', message: `feishuOpenId: already belongs to user ${other}.` });
        }
      }
      await ctx.store.upsertUsers([input]);
      return toAdminUser((await ctx.store.getUser(input.id))!, await ctx.store.security.disabledUserIds());
    }),

    remove: adminProcedure
      .input(z.object({ id: z.string().min(1).max(ADMIN_LIMITS.userIdMax) }).strict())
      .mutation(async ({ ctx, input }) => {
        if (input.id === ctx.user.id) throw new TRPCError({ code: 'BAD_REQUEST', message: 'id: you cannot remove yourself.' });
        if (!(await ctx.store.security.deleteUser(input.id))) {
          throw new TRPCError({ code: 'NOT_FOUND', message: `id: no user "${input.id}".` });
        }
        return { ok: true };
      }),
  }),

  cities: router({
    /** Every city, with or without stores (the store form's city list). */
    list: adminProcedure.query(async ({ ctx }) =>
      (await ctx.store.listCities()).map((c) => ({ id: c.id, key: c.key, name: c.name, nameZh: c.nameZh, tz: c.tz, centerLat: c.centerLat, centerLng: c.centerLng })),
    ),
    /** A new city. Its key (imports, the demo) is derived from the name. Time zone: IANA. */
    create: adminProcedure.input(CityInputSchema).mutation(async ({ ctx, input }) => {
      const key = cityKeyOf(input.name);
      if (!key) throw new TRPCError({ code: 'BAD_REQUEST', message: 'name: must hold at least one latin letter or digit (it gives the city key).' });
      const cities = await ctx.store.listCities();
      if (cities.some((c) => c.key === key || c.name.toLowerCase() === input.name.toLowerCase())) {
        throw new TRPCError({ code: 'CONFLICT', message: `name: a city "${input.name}" (key ${key}) exists already.` });
      }
      const city = await ctx.store.upsertCity({ key, name: input.name, nameZh: input.nameZh, tz: input.tz, centerLat: input.centerLat, centerLng: input.centerLng });
      return { id: city.id, key: city.key, name: city.name, nameZh: city.nameZh, tz: city.tz, centerLat: city.centerLat, centerLng: city.centerLng };
    }),
  }),

  stores: router({
    list: adminProcedure.query(async ({ ctx }): Promise<AdminStoreDto[]> => {
      const [stores, archived, history] = await Promise.all([
        ctx.store.listStores({ all: true }, { includeArchived: true }),
        ctx.store.security.archivedStoreIds(),
        ctx.store.security.storeCodeHistory(),
      ]);
      return stores.map((s) => ({ ...toStoreDto(s), archived: archived.includes(s.id), previousCodes: (history.get(s.id) ?? []).map((h) => h.oldCode) }));
    }),

    /** A new code for a store: same store (id, incidents, users, alerts); the old code is kept in its history. */
    changeCode: adminProcedure
      .input(z.object({ id: id32, code: z.string().trim().min(1, 'code: is empty').max(ADMIN_LIMITS.storeCodeMax, `code: is longer than ${ADMIN_LIMITS.storeCodeMax} characters`) }).strict())
      .mutation(async ({ ctx, input }) => {
        const result = await ctx.store.security.changeStoreCode(input.id, input.code, ctx.user.id, ctx.env.clock.now());
        if (result === 'missing') throw new TRPCError({ code: 'NOT_FOUND', message: `id: no store ${input.id}.` });
        if (result === 'taken') throw new TRPCError({ code: 'CONFLICT', message: `code: another store already has the code "${input.code}".` });
        return { ok: true as const, changed: result === 'changed' };
      }),

    /** Create a store, or edit the one with this code (name, city, location, radius). WGS-84. */
    save: adminProcedure.input(StoreInputSchema).mutation(async ({ ctx, input }): Promise<AdminStoreDto> => {
      const cities = await ctx.store.listCities();
      if (!cities.some((c) => c.id === input.cityId)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `cityId: no city ${input.cityId}.` });
      }
      const [saved] = await ctx.store.upsertStores([input]);
      const [archived, history] = await Promise.all([ctx.store.security.archivedStoreIds(), ctx.store.security.storeCodeHistory()]);
      return { ...input, id: saved!.id, city: saved!.cityName, archived: archived.includes(saved!.id), previousCodes: (history.get(saved!.id) ?? []).map((h) => h.oldCode) };
    }),

    /** Archived stores keep their incidents; they get no new ones from the ingest API. */
    archive: adminProcedure
      .input(z.object({ id: id32, archived: z.boolean() }).strict())
      .mutation(async ({ ctx, input }) => {
        if (!(await ctx.store.security.setStoreArchived(input.id, input.archived))) {
          throw new TRPCError({ code: 'NOT_FOUND', message: `id: no store ${input.id}.` });
        }
        return { ok: true };
      }),
  }),

  apiKeys: router({
    list: adminProcedure.query(async ({ ctx }): Promise<ApiKeyDto[]> =>
      (await ctx.store.security.listApiKeys()).map((k) => ({
        id: k.id,
        name: k.name,
        createdBy: k.createdBy,
        createdAt: k.createdAt.toISOString(),
        lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
        revokedAt: k.revokedAt?.toISOString() ?? null,
      })),
    ),

    /** The key is in this answer only: it is stored hashed. */
    create: adminProcedure
      .input(z.object({ name: z.string().trim().min(1).max(ADMIN_LIMITS.keyNameMax) }).strict())
      .mutation(({ ctx, input }) => ctx.store.security.createApiKey(input.name, ctx.user.id)),

    revoke: adminProcedure
      .input(z.object({ id: z.string().min(1).max(100) }).strict())
      .mutation(async ({ ctx, input }) => {
        if (!(await ctx.store.security.revokeApiKey(input.id))) {
          throw new TRPCError({ code: 'NOT_FOUND', message: `id: no API key "${input.id}".` });
        }
        return { ok: true };
      }),
  }),

  settings: router({
    get: adminProcedure.query(({ ctx }): Promise<AdminSettings> => ctx.store.security.settings()),
    save: adminProcedure.input(SettingsSchema).mutation(async ({ ctx, input }): Promise<AdminSettings> => {
      const current = await ctx.store.security.settings();
      await ctx.store.security.saveSettings({ ...current, ...input, workLoop: input.workLoop ?? current.workLoop });
      return ctx.store.security.settings();
    }),
  }),
});
