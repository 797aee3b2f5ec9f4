/**
 * The server's one clock. Everything that asks "what time is it" for the product (routers'
 * today and "last N days", SLA due times, the demo's end of history, alert scans, digests, the
 * work loop, live updates) reads it here, through `env.clock`, so that a test server can run
 * at a fixed instant (`HEXWATCH_NOW`) and see the same data on every run.
 *
 * A clock set to an instant keeps advancing from it at the real rate (`fixed + elapsed since
 * the server started`), rather than standing still: successive workflow events then keep their
 * order and real gaps (SLA due = transition + hours, overdue turns true when it should), live
 * updates keep moving forward, and "today" stays the same day for hours when the instant is a
 * midday. Audit stamps that are not product time (sessions, API keys, backups, metrics ages)
 * stay on the system time.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** The instant the clock was set to (HEXWATCH_NOW), or null for the system clock. */
  readonly fixedAt: Date | null;
}

export const systemClock: Clock = { now: () => new Date(), fixedAt: null };

/**
 * A clock that reads `start` now and advances in real time from there.
 * `realNowMs`: the real clock it advances with (tests).
 */
export function clockStartingAt(start: Date, realNowMs: () => number = Date.now): Clock {
  const offsetMs = start.getTime() - realNowMs();
  return { now: () => new Date(realNowMs() + offsetMs), fixedAt: new Date(start.getTime()) };
}
