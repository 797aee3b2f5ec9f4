/** Calls procedures through createCaller with a context built for the test (no HTTP). */
import { parseEnv } from '../../server/env.js';
import { appRouter } from '../../server/routers/_app.js';
import type { IncidentStore, User } from '../../server/store/types.js';
import { createCallerFactory } from '../../server/trpc.js';

const createCaller = createCallerFactory(appRouter);

export const testEnv = parseEnv({ NODE_ENV: 'test', AUTH_MODE: 'dev', DEMO_DATA: 'none' });

export function callerFor(store: IncidentStore, user: User | null) {
  return createCaller({ env: testEnv, store, user, sessionToken: null, secure: false });
}

export function user(role: User['role'], storeIds: number[] = [], id = `test-${role}`): User {
  return { id, name: id, role, storeIds, feishuOpenId: null };
}
