/**
 * The small SQL surface both engines offer to the shared store code: positional `$1` parameters
 * (DuckDB and PostgreSQL agree on them), rows as plain objects, transactions on one connection.
 * Integer columns may come back as number or bigint depending on the engine: read them with num().
 */
export type SqlValue = string | number | bigint | boolean | Date | null;
export type SqlRow = Record<string, unknown>;

export interface SqlDb {
  /**
   * True on a Citus coordinator: queries then avoid what Citus cannot push down to the shards
   * (a window over a fan-out's rows, for one).
   */
  readonly distributed?: boolean;
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  /**
   * The change feed (server/store/change-feed.ts), inside a transaction only: serializes the
   * writers of incident_change from here until this transaction ends, so that feed ids become
   * visible in id order; and once it commits, wakes the subscribers (this process's, and on
   * PostgreSQL every instance's through NOTIFY).
   * @throws Error outside a transaction
   */
  lockChangeFeed(): Promise<void>;
  /** After writing to incident_change under the lock: PostgreSQL queues the NOTIFY (sent at commit). */
  announceChanges(): Promise<void>;
}

/** A count or id from either engine as a JS number. */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number(value);
  if (value === null || value === undefined) return 0;
  throw new TypeError(`not a number: ${String(value)}`);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function dateOrNull(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/**
 * An integer list inlined as SQL (`IN (1,2,3)`): literal keys keep Citus able to route to shards,
 * and neither engine then needs an array parameter type. Only integers pass.
 */
export function sqlIntList(values: readonly number[]): string {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer id: ${v}`);
  return values.length ? `(${values.join(',')})` : '(NULL)';
}
