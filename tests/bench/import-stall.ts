/**
 * `npm run bench:import-stall` — how long an import blocks the server's event loop (issue 10:
 * the browser import must not hold up other users' map queries for more than a fraction of a
 * second). Imports the Hong Kong file (95,821 rows) into a fresh file-backed DuckDB (as the server
 * does), once with the command line's batch size (the baseline, 5,000 rows) and once with the
 * browser import's (BROWSER_IMPORT_BATCH_SIZE), and with `--runs N` repeats each. While it runs,
 * a 2 ms timer records the longest gap between its ticks (the longest stall a request arriving
 * then would wait) and perf_hooks' event-loop delay histogram gives p99 and max.
 * An idle stretch as long as the baseline import gives the machine's own noise floor.
 * Prints per setting the median over runs of the longest stall, its p99, and the ratio to the
 * baseline. `--postgres-url` adds the same on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BROWSER_IMPORT_BATCH_SIZE } from '../../server/ingest/import-jobs.js';
import { DEFAULT_BATCH_SIZE, importFile } from '../../server/ingest/import-file.js';
import { DuckDbStore } from '../../server/store/duckdb.js';
import { DUCKDB_FILE } from '../../server/store/index.js';
import { PostgresStore } from '../../server/store/postgres.js';
import type { IncidentStore } from '../../server/store/types.js';
import { createPostgresDatabase } from '../support/engines.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    file: { type: 'string', default: '/work/shared/data/hk-accidents/hk_accidents_2014_2019.csv.gz' },
    'postgres-url': { type: 'string' },
  },
});
const runs = Math.max(1, Number(args.runs));
const TICK_MS = 2;

interface Measure {
  maxGapMs: number;
  p99Ms: number;
  seconds: number;
  imported: number;
}

interface Variant {
  label: string;
  batchSize: number;
}

/** The command line's batch size (the baseline), 1,000, and the browser import's. */
const VARIANTS: Variant[] = [
  { label: `command line, batch ${DEFAULT_BATCH_SIZE}`, batchSize: DEFAULT_BATCH_SIZE },
  { label: 'batch 1000', batchSize: 1000 },
  { label: `browser, batch ${BROWSER_IMPORT_BATCH_SIZE}`, batchSize: BROWSER_IMPORT_BATCH_SIZE },
];

/** The same timer with nothing imported, for as long as `seconds`: the machine's own noise floor. */
async function measureIdle(seconds: number): Promise<number> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, TICK_MS);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  return maxGap - TICK_MS;
}

async function measure(store: IncidentStore, variant: Variant): Promise<Measure> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, TICK_MS);
  histogram.enable();
  const started = performance.now();
  try {
    const report = await importFile(store, { profile: 'hk-td', file: args.file, batchSize: variant.batchSize });
    return {
      maxGapMs: maxGap - TICK_MS,
      p99Ms: histogram.percentile(99) / 1e6,
      seconds: (performance.now() - started) / 1000,
      imported: report.imported,
    };
  } finally {
    clearInterval(timer);
    histogram.disable();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bench(engine: string, open: () => Promise<{ store: IncidentStore; drop: () => void }>) {
  const results = new Map<string, Measure[]>();
  for (let run = 0; run < runs; run++) {
    for (const variant of VARIANTS) {
      const { store, drop } = await open();
      try {
        const m = await measure(store, variant);
        results.set(variant.label, [...(results.get(variant.label) ?? []), m]);
        console.log(`  ${engine} ${variant.label}: longest stall ${m.maxGapMs.toFixed(0)} ms, p99 ${m.p99Ms.toFixed(0)} ms, ${m.seconds.toFixed(1)} s, ${m.imported} imported`);
      } finally {
        await store.close();
        drop();
      }
    }
  }
  const base = median(results.get(VARIANTS[0]!.label)!.map((m) => m.maxGapMs));
  const idle = await measureIdle(median(results.get(VARIANTS[0]!.label)!.map((m) => m.seconds)));
  console.log(`\n${engine}: median of ${runs} run(s)`);
  console.log(`${'settings'.padEnd(32)}longest stall   p99 delay   import s   stall vs baseline`);
  for (const [label, ms] of results) {
    const stall = median(ms.map((m) => m.maxGapMs));
    console.log(
      `${label.padEnd(32)}${`${stall.toFixed(0)} ms`.padStart(13)}${`${median(ms.map((m) => m.p99Ms)).toFixed(0)} ms`.padStart(12)}` +
        `${median(ms.map((m) => m.seconds)).toFixed(1).padStart(11)}${`${(stall / base).toFixed(2)}x`.padStart(20)}`,
    );
  }
  console.log(`${'idle (nothing imported)'.padEnd(32)}${`${idle.toFixed(0)} ms`.padStart(13)}${''.padStart(12)}${''.padStart(11)}${`${(idle / base).toFixed(2)}x`.padStart(20)}`);
  console.log('(the longest gap of a 2 ms timer: what a request arriving at the worst moment waits; on a loaded machine the idle line shows the scheduler\'s own share)');
}

await bench('duckdb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexwatch-stall-'));
  const store = await DuckDbStore.open(join(dir, DUCKDB_FILE), { memoryLimit: '1GB' });
  await store.migrate();
  return { store, drop: () => rmSync(dir, { recursive: true, force: true }) };
});
if (args['postgres-url']) {
  const url = args['postgres-url'];
  await bench('postgres', async () => {
    const store = await PostgresStore.open(await createPostgresDatabase(url), { max: 4 });
    await store.migrate();
    return { store, drop: () => {} };
  });
}
