/** Reads `live.changes` through createCaller (no HTTP) until it has been quiet for a while. */
import type { LiveEvent } from '../../server/routers/live.js';
import { appRouter } from '../../server/routers/_app.js';
import type { IncidentStore, User } from '../../server/store/types.js';
import { createCallerFactory } from '../../server/trpc.js';
import { testEnv } from './caller.js';

const createCaller = createCallerFactory(appRouter);

/** The events (tracked: `{id, data}`) the subscription yields until `quietMs` pass without one. */
export async function collectLive(
  store: IncidentStore,
  user: User,
  input: { lastEventId?: string; filters?: Record<string, unknown> },
  quietMs = 300,
): Promise<Array<{ id: string; data: LiveEvent }>> {
  const abort = new AbortController();
  const caller = createCaller({ env: testEnv, store, user, sessionToken: null, secure: false }, { signal: abort.signal });
  const iterable = (await caller.live.changes(input)) as AsyncIterable<unknown>;
  const iterator = iterable[Symbol.asyncIterator]();
  const out: Array<{ id: string; data: LiveEvent }> = [];
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), quietMs)));
      const next = iterator.next();
      const result = await Promise.race([next, quiet]);
      clearTimeout(timer);
      if (!result) {
        abort.abort();
        await next; // the subscription notices the abort and ends
        break;
      }
      if (result.done) break;
      // tracked(id, data) reaches a server-side caller as the tuple [id, data, symbol]
      const [id, data] = result.value as [string, LiveEvent];
      out.push({ id, data });
    }
  } finally {
    await iterator.return?.();
  }
  return out;
}
