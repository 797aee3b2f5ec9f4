/**
 * `npm run test:crash` (issue 11): kill cycles on both engines. Three clients post ingest batches
 * while the server is killed with SIGKILL 1-3 s after they start; each restart must open the
 * database with every acknowledged batch there, and every batch in flight stored whole or not at
 * all; at the end the rows stored equal the distinct records sent. Prints the counts of each
 * cycle; exits 1 on any problem.
 *
 *   npm run test:crash -- [--cycles 10] [--engine both|duckdb|postgres] [--kill-min-ms 1000]
 *                         [--kill-max-ms 3000] [--clients 3] [--seed N]
 * `--cycles` is per engine: the default gives 20 kills in all.
 */
import { parseArgs } from 'node:util';
import { createPostgresDatabase } from '../support/engines.js';
import { startPostgresServer } from '../support/postgres-server.js';
import { runCrashCycles } from './crash-cycles.js';
import type { CrashRunResult } from './crash-cycles.js';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '10' },
    engine: { type: 'string', default: 'both' },
    'kill-min-ms': { type: 'string', default: '1000' },
    'kill-max-ms': { type: 'string', default: '3000' },
    clients: { type: 'string', default: '3' },
    seed: { type: 'string' },
  },
});

async function main() {
  const cycles = Math.max(1, Math.min(500, Number(args.cycles)));
  const engines = args.engine === 'both' ? (['duckdb', 'postgres'] as const) : [args.engine as 'duckdb' | 'postgres'];
  const seed = args.seed ? Number(args.seed) : Date.now() % 2 ** 31;
  console.log(`crash test: ${cycles} SIGKILL cycles per engine on ${engines.join(' and ')}, seed ${seed}`);
  const pgServer = engines.includes('postgres') ? await startPostgresServer() : null;
  if (engines.includes('postgres') && !pgServer) throw new Error('no PostgreSQL server binaries found (or set DATABASE_URL)');
  const results: Array<[string, CrashRunResult]> = [];
  try {
    for (const engine of engines) {
      const result = await runCrashCycles({
        engine,
        databaseUrl: engine === 'postgres' ? await createPostgresDatabase(pgServer!.url) : undefined,
        cycles,
        killAfterMs: [Number(args['kill-min-ms']), Number(args['kill-max-ms'])],
        clients: Number(args.clients),
        batchSize: [1, 200],
        seed,
        log: (line) => console.log(line),
      });
      results.push([engine, result]);
    }
  } finally {
    pgServer?.stop();
  }
  let failed = false;
  for (const [engine, r] of results) {
    const acked = r.cycles.reduce((n, c) => n + c.acknowledged.records, 0);
    const inFlight = r.cycles.reduce((n, c) => n + c.inFlight.batches, 0);
    console.log(
      `${engine}: ${r.cycles.length} kills survived; ${acked} records acknowledged before a kill; ${inFlight} batches in flight at a kill; ` +
        `${r.distinctRecordsSent} distinct records sent, ${r.storedRows} stored${engine === 'duckdb' ? `; WALs set aside ${r.walsSetAside}` : ''}`,
    );
    for (const p of r.problems) console.error(`FAIL ${engine}: ${p}`);
    if (r.problems.length || r.cycles.length < cycles) failed = true;
  }
  console.log(failed ? 'FAIL' : 'OK: every acknowledged batch survived every kill, no batch was stored in part');
  process.stdout.write('', () => process.exit(failed ? 1 : 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
