/**
 * `npm run users -- add|list|set-role|disable|enable ...`: users from the command line. This is how
 * the first admin of a real deployment is made (an empty database has nobody who could sign in
 * to the admin pages). Works directly on the database, or inside a running server (./channel.ts).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '../domain/incident.js';
import type { Role } from '../domain/incident.js';
import { describeZodError } from '../trpc.js';
import type { IncidentStore } from '../store/types.js';
import type { JobArgs, JobProgress } from './job.js';

export const USERS_USAGE = `usage:
  npm run users -- add --id <id> --name <name> --role ${ROLES.join('|')} [--feishu-open-id ou_...] [--stores FZ-001,XM-002]
  npm run users -- list
  npm run users -- set-role --id <id> --role ${ROLES.join('|')} [--stores FZ-001,XM-002]
  npm run users -- disable --id <id>     (signs the user out; they can no longer sign in)
  npm run users -- enable --id <id>`;

/** The same bounds as the admin page's user form (server/routers/admin.ts). */
const UserId = z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters').regex(/^[\w.@-]+$/, 'may hold letters, digits and . _ @ - only');
const AddSchema = z
  .object({
    id: UserId,
    name: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters'),
    role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
    'feishu-open-id': z.string().trim().max(100, 'is longer than 100 characters').regex(/^ou_\w+$/, 'must be a Feishu open id (ou_...)').optional(),
    stores: z.string().max(20_000, 'is too long').optional(),
  })
  .strict();
const SetRoleSchema = AddSchema.pick({ id: true, role: true, stores: true }).strict();
const IdSchema = AddSchema.pick({ id: true }).strict();

class UsageError extends Error {}
class RefusedError extends Error {}

/** `FZ-001,XM-002` -> store ids; unknown codes are refused by name. */
async function storeIdsOf(store: IncidentStore, codes: string | undefined): Promise<number[]> {
  if (codes === undefined) return [];
  const list = [...new Set(codes.split(',').map((c) => c.trim()).filter(Boolean))];
  if (list.length > 1000) throw new UsageError('--stores: at most 1,000 store codes');
  const byCode = new Map((await store.listStores({ all: true }, { includeArchived: true })).map((s) => [s.code, s.id]));
  const unknown = list.filter((c) => !byCode.has(c));
  if (unknown.length) {
    throw new RefusedError(`--stores: no store with code ${unknown.map((c) => `"${c}"`).join(', ')} (import stores first: npm run import -- --profile stores <file>)`);
  }
  return list.map((c) => byCode.get(c)!);
}

function parse<T>(schema: z.ZodType<T>, sub: string, values: Record<string, unknown>): T {
  const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const result = schema.safeParse(defined);
  if (result.success) return result.data;
  // name each option the command line's way: `--role: must be one of ...`, `--id: is required`
  const messages = result.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `--${k}: does not apply to "${sub}"`).join('; ');
    const key = i.path.map(String).join('.');
    return defined[key] === undefined ? `--${key}: is required` : `--${key}: ${i.message}`;
  });
  throw new UsageError(messages.join('; ') || describeZodError(result.error));
}

/** After a demotion or a disable: nobody left who could administer the app from the browser. */
async function noAdminWarning(store: IncidentStore): Promise<string | null> {
  const [users, disabled] = await Promise.all([store.listUsers(), store.security.disabledUserIds()]);
  return users.some((u) => u.role === 'admin' && !disabled.includes(u.id))
    ? null
    : 'warning: no active admin is left; make one with npm run users -- add ... --role admin (or set-role / enable)';
}

/** Store managers and viewers see only their stores: say so when none are given. */
function scopeWarning(role: Role, storeIds: number[]): string | null {
  return (role === 'store_manager' || role === 'viewer') && storeIds.length === 0
    ? `note: a ${role} without --stores sees no stores until some are assigned`
    : null;
}

export async function runUsersJob(store: IncidentStore, args: JobArgs, progress: JobProgress): Promise<number> {
  const [sub, ...rest] = args.argv;
  if (sub === 'help' || sub === '--help' || sub === '-h') {
    progress.out(USERS_USAGE);
    return 0;
  }
  try {
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          id: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          'feishu-open-id': { type: 'string' },
          stores: { type: 'string' },
        },
        allowPositionals: false,
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    switch (sub) {
      case 'add': {
        const input = parse(AddSchema, sub, values);
        if (await store.getUser(input.id)) throw new RefusedError(`--id: a user "${input.id}" already exists (use set-role to change it)`);
        const feishuOpenId = input['feishu-open-id'] ?? null;
        if (feishuOpenId) {
          const other = await store.security.userIdByFeishuOpenId(feishuOpenId);
          if (other) throw new RefusedError(`--feishu-open-id: ${feishuOpenId} already belongs to user "${other}"`);
        }
        const storeIds = await storeIdsOf(store, input.stores);
        await store.upsertUsers([{ id: input.id, name: input.name, role: input.role, storeIds, feishuOpenId }]);
        progress.out(`added user ${input.id} (${input.name}, ${input.role}${storeIds.length ? `, ${storeIds.length} store(s)` : ''})`);
        const warning = scopeWarning(input.role, storeIds);
        if (warning) progress.out(warning);
        return 0;
      }
      case 'list': {
        parse(z.object({}).strict(), sub, values);
        const [users, disabled, stores] = await Promise.all([
          store.listUsers(),
          store.security.disabledUserIds(),
          store.listStores({ all: true }, { includeArchived: true }),
        ]);
        const codeOf = new Map(stores.map((s) => [s.id, s.code]));
        if (!users.length) progress.out('no users (create the first admin: npm run users -- add --id admin --name Admin --role admin)');
        for (const u of users) {
          const storeCodes = u.storeIds.map((id) => codeOf.get(id) ?? String(id)).join(',');
          progress.out(
            [u.id, u.role, disabled.includes(u.id) ? 'disabled' : 'active', u.name, u.feishuOpenId ?? '-', storeCodes || '-'].join('\t'),
          );
        }
        return 0;
      }
      case 'set-role': {
        const input = parse(SetRoleSchema, sub, values);
        const user = await store.getUser(input.id);
        if (!user) throw new RefusedError(`--id: no user "${input.id}"`);
        const storeIds = input.stores === undefined ? user.storeIds : await storeIdsOf(store, input.stores);
        await store.upsertUsers([{ ...user, role: input.role, storeIds }]);
        progress.out(`user ${input.id}: role ${user.role} -> ${input.role}${input.stores === undefined ? '' : `, ${storeIds.length} store(s)`}`);
        for (const warning of [scopeWarning(input.role, storeIds), await noAdminWarning(store)]) if (warning) progress.out(warning);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const input = parse(IdSchema, sub, values);
        if (!(await store.security.setUserDisabled(input.id, sub === 'disable'))) throw new RefusedError(`--id: no user "${input.id}"`);
        progress.out(sub === 'disable' ? `user ${input.id} disabled (signed out; cannot sign in)` : `user ${input.id} enabled`);
        const warning = await noAdminWarning(store);
        if (warning) progress.out(warning);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown command "${sub}"` : 'a command is required');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      progress.err(`users: ${error.message}\n${USERS_USAGE}`);
      return 2;
    }
    if (error instanceof RefusedError) {
      progress.err(`users: ${error.message}; nothing changed`);
      return 1;
    }
    throw error;
  }
}
