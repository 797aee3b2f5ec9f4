/**
 * The access matrix: every procedure of appRouter, for a signed-out caller and for each role,
 * against its rule in tests/support/access-rules.ts. A procedure added without a rule fails here.
 * Allowed callers may still get BAD_REQUEST, NOT_FOUND or CONFLICT: this checks who gets in, not
 * what the procedure does.
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/incident.js';
import type { Role } from '../../server/domain/incident.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { appRouter } from '../../server/routers/_app.js';
import type { User } from '../../server/store/types.js';
import { ACCESS_RULES, accessFixture } from '../support/access-rules.js';
import type { AccessFixture } from '../support/access-rules.js';
import { callerFor, user } from '../support/caller.js';

/** Every procedure path of the router (nested routers flattened: `admin.users.list`). */
export function procedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures).sort();
}

/** Calls a procedure by its dotted path; returns the tRPC error code, or 'OK'. */
async function callByPath(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<string> {
  let target: unknown = caller;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  try {
    await (target as (input: unknown) => Promise<unknown>)(input);
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe('access matrix', () => {
  let store: DuckDbStore;
  let fx: AccessFixture;
  const users = {} as Record<Role, User>;

  beforeAll(async () => {
    store = await DuckDbStore.open(':memory:');
    await store.migrate();
    fx = await accessFixture(store);
    for (const role of ROLES) {
      const scoped = role === 'store_manager' || role === 'viewer';
      users[role] = user(role, scoped ? [fx.ownStoreId] : [], `matrix-${role}`);
    }
    await store.upsertUsers(Object.values(users));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('has an access rule for every procedure, and no rule for a procedure that is gone', () => {
    const paths = procedurePaths();
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !(p in ACCESS_RULES)), 'procedures without an access rule').toEqual([]);
    expect(Object.keys(ACCESS_RULES).filter((p) => !paths.includes(p)), 'rules of missing procedures').toEqual([]);
  });

  for (const path of Object.keys(ACCESS_RULES).sort()) {
    it(`${path}: the rule holds for a signed-out caller and each role`, async () => {
      const rule = ACCESS_RULES[path]!;
      if (!procedurePaths().includes(path)) return; // reported by the coverage test above
      const outcome: Record<string, string> = {};
      outcome.signedOut = await callByPath(callerFor(store, null), path, await rule.input?.(fx));
      // refused roles first: an allowed call may change data the next call reads
      const roles = [...ROLES].sort((a, b) => Number(rule.access === 'public' || rule.access.includes(a)) - Number(rule.access === 'public' || rule.access.includes(b)));
      for (const role of roles) outcome[role] = await callByPath(callerFor(store, users[role]), path, await rule.input?.(fx));

      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      const admitted = (code: string) => (code === 'UNAUTHORIZED' || code === 'FORBIDDEN' ? code : 'admitted');
      expected.signedOut = rule.access === 'public' ? 'admitted' : 'UNAUTHORIZED';
      actual.signedOut = admitted(outcome.signedOut);
      for (const role of ROLES) {
        expected[role] = rule.access === 'public' || rule.access.includes(role) ? 'admitted' : 'FORBIDDEN';
        actual[role] = admitted(outcome[role]!);
      }
      expect(actual, `outcomes ${JSON.stringify(outcome)}`).toEqual(expected);
    });
  }
});
