/** Calls procedures through createCaller with a context built for the test (no HTTP). */
import { parseEnv } from '../../server/env.js';
import { appRouter } from '../../server/routers/_app.js';
import type { IncidentStore, User } from '../../server/store/types.js';
import { createCallerFactory } from '../../server/trpc.js';
import { TEST_NOW } from './test-clock.js';

const createCaller = createCallerFactory(appRouter);

export const testEnv = parseEnv({ NODE_ENV: 'test', AUTH_MODE: 'dev', DEMO_DATA: 'none' });

/**
 * A test env whose clock starts at TEST_NOW (mid-month, midday in China): for tests of "this
 * month" or "today", which the system clock can put on an edge. From 16:00 UTC on a month's
 * last day, Asia/Shanghai is already in the next month, and "this month" is the latest of the
 * cities' months.
 */
export const fixedNowEnv = parseEnv({ NODE_ENV: 'test', AUTH_MODE: 'dev', DEMO_DATA: 'none', HEXWATCH_NOW: TEST_NOW });

export function callerFor(store: IncidentStore, user: User | null, env = testEnv) {
  return createCaller({ env, store, user, sessionToken: null, secure: false });
}

export function user(role: User['role'], storeIds: number[] = [], id = `test-${role}`): User {
  return { id, name: id, role, storeIds, feishuOpenId: null };
}
