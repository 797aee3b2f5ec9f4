/**
 * The Citus part of `npm run bench -- --citus`: the shard fan-out of each benchmark query and
 * the time each shard spends on it, from EXPLAIN ANALYZE of the SQL the store really runs (read
 * by recording it), and from those an estimate of throughput on N workers.
 *
 * One 2-core machine runs the coordinator and both workers, so the cluster's own latency here says
 * little. What carries over to real hardware is the work: how many shards a query touches and how
 * long each shard's part takes on one core.
 */
import { queryHexbins, queryIncidentPage } from '../../server/store/incident-queries.js';
import type { SqlDb, SqlRow, SqlValue } from '../../server/store/sql-db.js';
import type { BenchContext, BenchQuery } from './queries.js';

export interface FanOut {
  query: string;
  /** Statements the query runs (the incident list's first page: the page and its count). */
  statements: number;
  /** The most shards one distributed step of the query touches (1: a router query). */
  shards: number;
  /** Per-shard execution times on the workers, ms, every task of every statement. */
  taskMs: number[];
  /** EXPLAIN ANALYZE's total execution time of the statements on the coordinator, ms. */
  totalMs: number;
}

/** Runs the store's own query code against a db that records each statement it sends. */
async function recordSql(db: SqlDb, q: BenchQuery, c: BenchContext): Promise<Array<{ sql: string; params: readonly SqlValue[] }>> {
  const seen: Array<{ sql: string; params: readonly SqlValue[] }> = [];
  const recorder: SqlDb = {
    distributed: db.distributed,
    async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      seen.push({ sql, params });
      return db.query(sql, params);
    },
    transaction: (fn) => fn(recorder),
    lockChangeFeed: () => db.lockChangeFeed(),
    announceChanges: () => db.announceChanges(),
  };
  const input = q.input(c);
  const scope = { all: true } as const; // the bench signs in as the demo analyst
  if (q.procedure === 'map.hexbins') {
    await queryHexbins(recorder, { resolution: input.resolution!, filters: input.filters, bbox: input.bbox, now: c.now }, scope);
  } else {
    await queryIncidentPage(recorder, { filters: input.filters, cell: input.cell, sort: 'newest', limit: input.limit ?? 50, now: c.now }, scope);
  }
  return seen;
}

/**
 * Parses an EXPLAIN ANALYZE of Citus (with citus.explain_all_tasks on): the task counts, and
 * the execution time of each task that ran on a worker (not the coordinator's own final step).
 */
export function parseCitusPlan(plan: string, workerPorts: number[]): { shards: number; taskMs: number[]; totalMs: number } {
  const shards = Math.max(0, ...[...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1])));
  const taskMs: number[] = [];
  const lines = plan.split('\n');
  let onWorker = false;
  for (const line of lines) {
    const node = /Node: host=\S+ port=(\d+)/.exec(line);
    if (node) onWorker = workerPorts.includes(Number(node[1]));
    const exec = /^\s+Execution Time: ([\d.]+) ms/.exec(line);
    if (exec && onWorker) {
      taskMs.push(Number(exec[1]));
      onWorker = false;
    }
  }
  const total = /^Execution Time: ([\d.]+) ms/m.exec(plan);
  return { shards, taskMs, totalMs: total ? Number(total[1]) : NaN };
}

export async function measureFanOut(db: SqlDb, queries: BenchQuery[], c: BenchContext, workerPorts: number[]): Promise<FanOut[]> {
  const out: FanOut[] = [];
  for (const q of queries) {
    const statements = await recordSql(db, q, c);
    const result: FanOut = { query: q.name, statements: statements.length, shards: 0, taskMs: [], totalMs: 0 };
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL citus.explain_all_tasks = on`);
      for (const s of statements) {
        await tx.query(s.sql, s.params); // warm the shards' caches as the timed runs did
        const rows = await tx.query(`EXPLAIN (ANALYZE, TIMING OFF) ${s.sql}`, s.params);
        const plan = parseCitusPlan(rows.map((r) => r['QUERY PLAN'] as string).join('\n'), workerPorts);
        result.shards = Math.max(result.shards, plan.shards);
        result.taskMs.push(...plan.taskMs);
        result.totalMs += plan.totalMs;
      }
    });
    out.push(result);
  }
  return out;
}

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

/**
 * Queries a second a cluster of `workers` workers of `cores` cores could answer, and the latency of
 * one query on an idle cluster, from the measured per-shard times. The assumptions (printed with
 * the table): shards spread evenly; a shard's part of a query costs what it cost here, on one
 * core; the workers' cores are the bottleneck; the rest of the measured wall time (`totalMs`
 * minus the slowest shard: dispatching the tasks, waiting for this machine's shared cores, the
 * merge) is added to the latency as it was measured here, which overstates it on real workers;
 * network round trips between coordinator and workers add `networkMs` per statement.
 */
export function estimate(f: FanOut, workers: number, cores: number, networkMs: number): { qps: number; latencyMs: number } {
  const work = f.taskMs.reduce((a, b) => a + b, 0); // core-ms on the workers per query
  const perShard = median(f.taskMs);
  const parallel = workers * cores;
  const waves = Math.ceil(Math.max(1, f.shards) / parallel);
  const merge = Math.max(0, f.totalMs - Math.max(0, ...f.taskMs));
  return {
    qps: work > 0 ? Math.floor((parallel * 1000) / work) : Infinity,
    latencyMs: round(merge + waves * perShard + networkMs * Math.max(1, f.statements)),
  };
}

export function fanOutTable(fanOuts: FanOut[], cores: number, networkMs: number, workerCounts = [2, 4, 8, 16]): string[] {
  const lines = [
    `| query | shards touched | per-shard ms (median / max) | worker core-ms per query | rest of the wall time, ms (dispatch, queueing, merge) | ${workerCounts.map((n) => `${n} workers: q/s, ms`).join(' | ')} |`,
    `|---|---|---|---|---|${workerCounts.map(() => '---').join('|')}|`,
  ];
  for (const f of fanOuts) {
    const work = f.taskMs.reduce((a, b) => a + b, 0);
    const merge = Math.max(0, f.totalMs - Math.max(0, ...f.taskMs));
    const cells = workerCounts.map((n) => {
      const e = estimate(f, n, cores, networkMs);
      return `${e.qps.toLocaleString('en-US')}, ${e.latencyMs}`;
    });
    lines.push(
      `| ${f.query} | ${f.shards}${f.statements > 1 ? ` (${f.statements} statements)` : ''} | ${round(median(f.taskMs))} / ${round(Math.max(0, ...f.taskMs))} | ${round(work)} | ${round(merge)} | ${cells.join(' | ')} |`,
    );
  }
  return lines;
}
