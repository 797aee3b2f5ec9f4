/**
 * `npm run bench:citus-key -- --size small` — the measurement behind the choice of Citus's
 * distribution column (README, "Citus"): the same demo in `incident` (distributed by shard_key,
 * the store) and in a copy distributed by city_id, and the real hexbin SQL of a store manager,
 * a city and all cities on each: shards touched, per-shard times (EXPLAIN ANALYZE), the slowest
 * shard, the median latency, and how evenly the rows spread over the shards.
 */
import { parseArgs } from 'node:util';
import { DEMO_SIZES, seedDemo } from '../../data/demo/seed.js';
import type { DemoSize } from '../../data/demo/seed.js';
import { hexbinSql } from '../../server/store/incident-queries.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { SqlDb, SqlValue } from '../../server/store/sql-db.js';
import { num } from '../../server/store/sql-db.js';
import type { Scope } from '../../server/store/types.js';
import { createCitusDatabase, startCitusCluster } from '../support/citus-server.js';
import { parseCitusPlan } from './citus.js';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    shards: { type: 'string', default: '8' },
    runs: { type: 'string', default: '10' },
  },
});
const size = args.size as DemoSize;
if (!(size in DEMO_SIZES)) throw new Error(`--size must be one of ${Object.keys(DEMO_SIZES).join(', ')}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function timeQuery(db: SqlDb, sql: string, params: SqlValue[], runs: number, workerPorts: number[]) {
  await db.query(sql, params);
  const wall: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    await db.query(sql, params);
    wall.push(performance.now() - t0);
  }
  const plan = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL citus.explain_all_tasks = on`);
    const rows = await tx.query(`EXPLAIN (ANALYZE, TIMING OFF) ${sql}`, params);
    return parseCitusPlan(rows.map((r) => r['QUERY PLAN'] as string).join('\n'), workerPorts);
  });
  return { shards: plan.shards, perShard: median(plan.taskMs), slowest: Math.max(0, ...plan.taskMs), wallMs: median(wall) };
}

async function main() {
  const cluster = await startCitusCluster({ shardCount: Number(args.shards) });
  if ('skipped' in cluster) throw new Error(`Citus: ${cluster.skipped}`);
  try {
    const url = await createCitusDatabase(cluster.cluster, `hexwatch_key_${process.pid}`);
    const store = await PostgresStore.open(url);
    await store.migrate();
    const now = new Date();
    console.log(`seeding the ${size} demo into ${cluster.description}`);
    await seedDemo(store, { size, seed: 1, now, log: () => undefined });
    const db = store.sqlForBench();
    await db.query(`CREATE TABLE incident_by_city (LIKE incident INCLUDING DEFAULTS)`);
    await db.query(`SELECT create_distributed_table('incident_by_city', 'city_id', colocate_with => 'none')`);
    await db.query(`INSERT INTO incident_by_city SELECT * FROM incident`);
    await db.query(`CREATE INDEX ON incident_by_city (store_id, occurred_at)`);
    await db.query(`CREATE INDEX ON incident_by_city (city_id, occurred_at)`);
    await store.analyze();

    const spread = async (table: string) => {
      const rows = await db.query(
        `SELECT shardid, result::bigint AS n FROM run_command_on_shards('${table}', 'SELECT count(*) FROM %s')`,
      );
      const counts = rows.map((r) => num(r.n));
      return { max: Math.max(...counts), min: Math.min(...counts), empty: counts.filter((n) => n === 0).length, shards: counts.length };
    };

    const stores = await db.query(`SELECT s.id, s.city_id FROM store s ORDER BY s.code`);
    const store1 = num(stores[0]!.id);
    const city1 = num(stores[0]!.city_id);
    const cityStores = stores.filter((s) => num(s.city_id) === city1).slice(0, 3).map((s) => num(s.id));
    const from = new Date(now.getTime() - 365 * 86_400_000).toISOString();
    const cases: Array<{ name: string; scope: Scope; filters: Record<string, unknown>; cityOf?: number }> = [
      { name: "store manager's map (1 store, 365 days, res 9)", scope: { all: false, storeIds: [store1] }, filters: { from }, cityOf: city1 },
      { name: "manager of 3 stores of a city", scope: { all: false, storeIds: cityStores }, filters: { from }, cityOf: city1 },
      { name: 'one city (365 days, res 9)', scope: { all: true }, filters: { from, cityIds: [city1] } },
      { name: 'all cities (365 days, res 8)', scope: { all: true }, filters: { from } },
    ];
    const runs = Number(args.runs);
    const workers = cluster.cluster.workerPorts;
    console.log(`\n| query | key | shards touched | per-shard ms (median) | slowest shard ms | median latency ms |`);
    console.log(`|---|---|---|---|---|---|`);
    for (const c of cases) {
      const { sql, params } = hexbinSql({ resolution: c.name.includes('res 8') ? 8 : 9, filters: c.filters, now }, c.scope);
      const byStore = await timeQuery(db, sql, params, runs, workers);
      // by city, the manager's query names the store's city too, so that it routes as well as it can
      let citySql = sql.replace('FROM incident i', 'FROM incident_by_city i');
      if (c.cityOf !== undefined) citySql = citySql.replace('WHERE ', `WHERE i.city_id = ${c.cityOf} AND `);
      const byCity = await timeQuery(db, citySql, params, runs, workers);
      for (const [key, m] of [['store (shard_key)', byStore], ['city_id', byCity]] as const) {
        console.log(`| ${c.name} | ${key} | ${m.shards} | ${r1(m.perShard)} | ${r1(m.slowest)} | ${r1(m.wallMs)} |`);
      }
    }
    const [s, c] = [await spread('incident'), await spread('incident_by_city')];
    console.log(`\nrows per shard: by store max ${s.max} / min ${s.min} (${s.empty} of ${s.shards} empty); by city max ${c.max} / min ${c.min} (${c.empty} of ${c.shards} empty)`);
    await store.close();
  } finally {
    cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
