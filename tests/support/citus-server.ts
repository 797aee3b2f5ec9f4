/**
 * A throw-away Citus cluster for the tests and the benchmark: a coordinator and two workers, each
 * a PostgreSQL server with `shared_preload_libraries = 'citus'` on a free port (one initdb, copied
 * twice: three initdbs cost three times as long). Needs the Citus extension installed into the
 * machine's PostgreSQL (../shared/tools/citus/install.sh, which .ci/run runs as root). When it is
 * absent, `startCitusCluster` says why instead of starting anything.
 *
 * Citus keeps its node list per database, so every test database is made on all three servers
 * from templates that already hold the extension and, on the coordinator, the two workers (a
 * copy on the coordinator then talks to the same-named copies on the workers).
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../server/store/postgres.js';
import { findBinDir, freePort } from './postgres-server.js';

/** What a test run needs to reach the cluster (plain data: it crosses vitest's provide/inject). */
export interface CitusCluster {
  /** Coordinator's maintenance database. */
  url: string;
  /** Worker ports on 127.0.0.1 (same user, same trust auth). */
  workerPorts: number[];
  /** Each node's template for an empty database: the extension made, the workers registered. */
  template: string;
  /** Each node's template for a migrated one: the schema made and placed (see migratedTemplate). */
  migratedTemplate?: string;
}

export interface CitusServer {
  cluster: CitusCluster;
  description: string;
  stop(): void;
}

export const CITUS_TEMPLATE = 'hexwatch_citus_template';
/**
 * Shards per distributed table in the test cluster: Citus's default is 32, which makes each
 * create_distributed_table in a test database cost 32 shard DDLs. Four (two per worker) keeps the
 * fan-out real and the set-up short. The benchmark passes its own count.
 */
export const TEST_SHARD_COUNT = 4;

/** Why Citus cannot run here, or null when it can. */
export function citusUnavailable(bin: string | null): string | null {
  if (!bin) return 'no PostgreSQL server binaries found';
  const pkgLib = join(bin, '..', 'lib');
  if (!existsSync(join(pkgLib, 'citus.so'))) {
    return `the citus extension is not installed in ${pkgLib} (run ../shared/tools/citus/install.sh as root)`;
  }
  return null;
}

export async function startCitusCluster(opts: { shardCount?: number } = {}): Promise<CitusServer | { skipped: string }> {
  const bin = findBinDir();
  const why = citusUnavailable(bin);
  if (why) return { skipped: why };
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-citus-'));
  chmodSync(dir, 0o777);
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['-u', 'postgres', '--', join(bin!, cmd), ...args] : args;
    const result = spawnSync(asRoot ? 'runuser' : join(bin!, cmd), full, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  const runAsync = async (cmd: string, args: string[]) => {
    const full = asRoot ? ['-u', 'postgres', '--', join(bin!, cmd), ...args] : args;
    await promisify(execFile)(asRoot ? 'runuser' : join(bin!, cmd), full, { encoding: 'utf8' });
  };
  const names = ['coordinator', 'worker1', 'worker2'];
  const ports = [await freePort(), await freePort(), await freePort()];
  const started: string[] = [];
  const stopAll = () => {
    for (const dataDir of started) {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const first = join(dir, names[0]!);
    run('initdb', ['-D', first, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
    for (const name of names.slice(1)) cpSync(first, join(dir, name), { recursive: true, preserveTimestamps: true });
    if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
    const shardCount = opts.shardCount ?? TEST_SHARD_COUNT;
    // fsync off as for the plain test server; prepared transactions for Citus's two-phase commit
    // of multi-shard writes; the shard count for new distributed tables on the coordinator.
    const common =
      `-c shared_preload_libraries=citus -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off ` +
      `-c full_page_writes=off -c max_connections=300 -c max_prepared_transactions=150 -c citus.shard_count=${shardCount} ` +
      `-c citus.log_remote_commands=off -c citus.enable_statistics_collection=off`;
    await Promise.all(
      names.map(async (name, n) => {
        const dataDir = join(dir, name);
        await runAsync('pg_ctl', ['-D', dataDir, '-o', `-p ${ports[n]} -k ${dir} ${common}`, '-l', join(dir, `${name}.log`), '-w', 'start']);
        started.push(dataDir);
      }),
    );
    const workerPorts = ports.slice(1);
    // templates: the extension on every node; on the coordinator also its own address and the workers
    for (const port of ports) {
      await withClient(port, 'postgres', async (c) => {
        await c.query(`CREATE DATABASE ${CITUS_TEMPLATE}`);
      });
      await withClient(port, CITUS_TEMPLATE, async (c) => {
        await c.query('CREATE EXTENSION citus');
      });
    }
    const version = await withClient(ports[0]!, CITUS_TEMPLATE, async (c) => {
      await c.query(`SELECT citus_set_coordinator_host('127.0.0.1', $1)`, [ports[0]]);
      for (const port of workerPorts) await c.query(`SELECT citus_add_node('127.0.0.1', $1)`, [port]);
      return (await c.query(`SELECT citus_version() AS v`)).rows[0].v as string;
    });
    await closeTemplate(ports, CITUS_TEMPLATE);
    return {
      cluster: { url: `postgres://postgres@127.0.0.1:${ports[0]}/postgres`, workerPorts, template: CITUS_TEMPLATE },
      description: `citus (${version.split(' on ')[0]}, coordinator :${ports[0]}, workers :${workerPorts.join(', :')}, ${shardCount} shards a table)`,
      stop: stopAll,
    };
  } catch (error) {
    stopAll();
    throw error;
  }
}

/**
 * Citus's maintenance daemon stays connected to a database with the extension, and a database
 * with connections cannot be copied: close the template to connections, then end the daemons'.
 */
async function closeTemplate(ports: number[], name: string): Promise<void> {
  for (const port of ports) {
    await withClient(port, 'postgres', async (c) => {
      await c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    });
  }
}

/**
 * Migrates one database with the engine's own migrate() (migrations, then the Citus placement)
 * and makes it the template of the tests' databases: placing the tables costs seconds a
 * database, copying a placed one a fraction of that. (The tests of the placement itself start
 * from the empty template.)
 */
export async function addMigratedTemplate(cluster: CitusCluster): Promise<CitusCluster> {
  const name = `${CITUS_TEMPLATE}_migrated`;
  const store = await PostgresStore.open(await createCitusDatabase(cluster, name), { max: 2 });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  const url = new URL(cluster.url);
  await closeTemplate([Number(url.port), ...cluster.workerPorts], name);
  return { ...cluster, migratedTemplate: name };
}

async function withClient<T>(port: number, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new database on every node of the cluster, copied from the templates: the coordinator's copy
 * already knows the workers, whose copies carry the same metadata. Returns the coordinator's URL.
 */
export async function createCitusDatabase(cluster: CitusCluster, name: string, template = cluster.template): Promise<string> {
  const url = new URL(cluster.url);
  const ports = [Number(url.port), ...cluster.workerPorts];
  await Promise.all(
    ports.map((port) => withClient(port, 'postgres', (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`))),
  );
  url.pathname = `/${name}`;
  return url.toString();
}
