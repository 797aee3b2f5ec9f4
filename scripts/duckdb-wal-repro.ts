/**
 * `npm run repro:duckdb-wal`: a minimal reproduction of DuckDB failing to replay its own WAL
 * after a crash (issue 11), to report upstream and to re-check on each DuckDB upgrade.
 *
 * Each case runs in a child process that opens a fresh database file, runs a few statements and
 * then SIGKILLs itself, leaving the WAL as a crash does. The parent then opens the file again
 * (which replays the WAL) and checks that the committed rows are there. Upstream: duckdb/duckdb
 * issues #19712 and #22044 (WAL replay of DDL after a crash).
 *
 *   npm run repro:duckdb-wal              prints each case and whether this DuckDB is affected
 *   npm run repro:duckdb-wal -- --strict  also exits 1 when it is (for a CI check after upgrades)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

interface Case {
  name: string;
  /** Run before the crash; the last statement's effects must survive it. */
  statements: string[];
  /** Rows of `t` that were committed before the SIGKILL. */
  expectRows: number;
  /** True for the cases that show the bug; false for the controls that must replay. */
  ddlInWal: boolean;
}

const CASES: Case[] = [
  {
    name: 'ALTER COLUMN ... TYPE <user ENUM> left in the WAL',
    statements: [
      `CREATE TYPE mood AS ENUM ('ok', 'bad')`,
      `CREATE TABLE t (id INTEGER, m TEXT)`,
      `ALTER TABLE t ALTER COLUMN m TYPE mood`,
      `INSERT INTO t VALUES (1, 'ok'), (2, 'bad')`,
    ],
    expectRows: 2,
    ddlInWal: true,
  },
  {
    name: 'ALTER COLUMN ... TYPE <built-in> left in the WAL',
    statements: [`CREATE TABLE t (id INTEGER, m TEXT)`, `ALTER TABLE t ALTER COLUMN m TYPE VARCHAR[]`, `INSERT INTO t VALUES (1, ['a'])`],
    expectRows: 1,
    ddlInWal: true,
  },
  {
    name: 'ADD COLUMN with a default left in the WAL',
    statements: [`CREATE TABLE t (id INTEGER)`, `ALTER TABLE t ADD COLUMN k TEXT DEFAULT 'x'`, `ALTER TABLE t ALTER COLUMN k SET NOT NULL`, `INSERT INTO t (id) VALUES (1)`],
    expectRows: 1,
    ddlInWal: true,
  },
  {
    name: 'CREATE INDEX then DROP INDEX left in the WAL',
    statements: [
      `CREATE TABLE t (id INTEGER, m TEXT)`,
      `INSERT INTO t SELECT range, 'x' FROM range(1000)`,
      `CHECKPOINT`,
      `CREATE INDEX t_m ON t (m)`,
      `INSERT INTO t VALUES (1000, 'y')`,
      `DROP INDEX t_m`,
      `INSERT INTO t VALUES (1001, 'z')`,
    ],
    expectRows: 1002,
    ddlInWal: true,
  },
  {
    name: 'control: the same ENUM ALTER, then CHECKPOINT, then rows',
    statements: [
      `CREATE TYPE mood AS ENUM ('ok', 'bad')`,
      `CREATE TABLE t (id INTEGER, m TEXT)`,
      `ALTER TABLE t ALTER COLUMN m TYPE mood`,
      `CHECKPOINT`,
      `INSERT INTO t VALUES (1, 'ok'), (2, 'bad')`,
    ],
    expectRows: 2,
    ddlInWal: false,
  },
  {
    name: 'control: TEMP tables (not in the WAL) and rows',
    statements: [`CREATE TABLE t (id INTEGER)`, `CHECKPOINT`, `CREATE TEMP TABLE s (id INTEGER)`, `INSERT INTO s VALUES (1)`, `INSERT INTO t SELECT id FROM s`],
    expectRows: 1,
    ddlInWal: false,
  },
];

async function crashAfter(path: string, statements: string[]): Promise<never> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  for (const sql of statements) await connection.run(sql);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

async function reopen(path: string): Promise<{ rows: number } | { error: string }> {
  try {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0]);
    connection.closeSync();
    instance.closeSync();
    return { rows };
  } catch (error) {
    return { error: String((error as Error).message).split('\n')[0]! };
  }
}

async function main() {
  const [mode, path, index] = process.argv.slice(2);
  if (mode === '--child') return crashAfter(path!, CASES[Number(index)]!.statements);
  const strict = process.argv.includes('--strict');
  const version = await (async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const v = String((await c.runAndReadAll('SELECT version()')).getRows()[0]![0]);
    instance.closeSync();
    return v;
  })();
  console.log(`DuckDB ${version}: crash (SIGKILL) with statements in the WAL, then reopen`);
  const dir = mkdtempSync(join(tmpdir(), 'duckdb-wal-repro-'));
  let affected = 0;
  let controlsFailed = 0;
  try {
    for (const [i, c] of CASES.entries()) {
      const path = join(dir, `case-${i}.duckdb`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', path, String(i)], {
        encoding: 'utf8',
      });
      if (child.signal !== 'SIGKILL') throw new Error(`case ${i}: the child did not crash as planned: ${child.stderr}`);
      const walBytes = (() => {
        try {
          return statSync(`${path}.wal`).size;
        } catch {
          return 0;
        }
      })();
      const result = await reopen(path);
      const ok = 'rows' in result && result.rows === c.expectRows;
      if (!ok && c.ddlInWal) affected++;
      if (!ok && !c.ddlInWal) controlsFailed++;
      const outcome = 'error' in result ? `FAILS to open: ${result.error}` : ok ? `replays, ${result.rows} rows` : `opens with ${result.rows} rows, expected ${c.expectRows}`;
      console.log(`  ${ok ? 'ok  ' : 'BUG '} ${c.name} (WAL ${walBytes} B): ${outcome}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    affected
      ? `AFFECTED: DuckDB ${version} cannot replay ${affected} of ${CASES.filter((c) => c.ddlInWal).length} WALs with DDL after a crash`
      : `not affected: DuckDB ${version} replays every case`,
  );
  if (controlsFailed) console.log(`and ${controlsFailed} control case(s) failed too`);
  process.exitCode = strict && (affected || controlsFailed) ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
