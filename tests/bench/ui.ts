/**
 * `npm run bench:ui` — the front end's weight and speed (issue 4).
 *
 * 1. Builds the production client and reports its JavaScript gzipped: what the first screen
 *    loads (entry and preloads), the lazy map chunk(s), and the MapLibre worker.
 * 2. Starts the real server on the DEFAULT demo (~200k incidents, DuckDB, a temporary DATA_DIR;
 *    seeding takes a minute or so) and opens the map as the demo analyst in headless Chromium
 *    (tests/e2e/support/browser.ts), each run in a fresh browser context (cold HTTP cache, the
 *    session cookie kept): the time from navigation start to the first deck.gl draw with
 *    hexagons, with the first `map.hexbins` answer along the way. Median of `--runs` (default 7).
 * Prints a table and writes tests/bench/results/ui-latest.json.
 *
 *   npm run bench:ui -- [--runs 7] [--no-build] [--size default|small]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DESKTOP, PHONE, launchBrowser, openPage } from '../e2e/support/browser.js';
import { startServerProcess } from './server-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist/client');
const RESULTS = join(ROOT, 'tests/bench/results/ui-latest.json');
/** The aim: first hexagons within 2 s on this machine with the default demo. */
const AIM_MS = 2000;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'no-build': { type: 'boolean', default: false },
    size: { type: 'string', default: 'default' },
  },
});
const RUNS = Math.max(1, Number(args.runs));

const kb = (bytes: number) => Math.round(bytes / 1024);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface BundleSizes {
  initialGzKb: number;
  lazyGzKb: number;
  workerGzKb: number;
  totalJsGzKb: number;
  files: Array<{ file: string; kind: 'initial' | 'lazy' | 'worker'; rawKb: number; gzKb: number }>;
}

function bundleSizes(): BundleSizes {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  // What index.html loads before anything runs: the entry module and its modulepreloads.
  const initial = new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  const files = readdirSync(join(DIST, 'assets'))
    .filter((f) => /\.m?js$/.test(f))
    .map((f) => {
      const path = join(DIST, 'assets', f);
      const raw = readFileSync(path);
      const kind = f.includes('worker') ? ('worker' as const) : initial.has(`assets/${f}`) ? ('initial' as const) : ('lazy' as const);
      return { file: f, kind, rawKb: kb(statSync(path).size), gzKb: kb(gzipSync(raw, { level: 9 }).length) };
    })
    .sort((a, b) => b.gzKb - a.gzKb);
  const sum = (kind: string) => files.filter((f) => f.kind === kind).reduce((a, f) => a + f.gzKb, 0);
  return {
    initialGzKb: sum('initial'),
    lazyGzKb: sum('lazy'),
    workerGzKb: sum('worker'),
    totalJsGzKb: files.reduce((a, f) => a + f.gzKb, 0),
    files,
  };
}

interface RunTiming {
  firstHexagonsMs: number;
  hexbinsRequestedMs: number;
  hexbinsAnsweredMs: number;
  mapChunkLoadedMs: number;
  domContentLoadedMs: number;
  cells: number;
}

async function main(): Promise<void> {
  if (!args['no-build']) {
    console.log('building the client (vite build)…');
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  const sizes = bundleSizes();

  const dataDir = mkdtempSync(join(tmpdir(), 'hexwatch-bench-ui-'));
  console.log(`starting the server with DEMO_DATA=${args.size} in ${dataDir} (seeding takes a while)…`);
  const seedStarted = Date.now();
  const server = await startServerProcess({ DEMO_DATA: args.size, DATA_DIR: dataDir });
  const seedS = (Date.now() - seedStarted) / 1000;
  const browser = await launchBrowser();
  const results: Record<string, RunTiming[]> = { desktop: [], phone: [] };
  try {
    // Sign in once; every run reuses the cookie in a fresh context (cold cache, warm session).
    const first = await openPage(browser, server.url);
    await first.page.goto('/');
    await first.page.getByTestId('demo-user-demo-analyst').click();
    await first.page.getByTestId('map').waitFor();
    const storageState = await first.page.context().storageState();
    await first.page.context().close();

    for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      // One unmeasured run warms the server (DuckDB's first scan of the table, V8 JIT).
      for (let run = -1; run < RUNS; run++) {
        const context = await browser.newContext({ baseURL: server.url, viewport, storageState, deviceScaleFactor: 1, locale: 'zh-CN', isMobile: name === 'phone', hasTouch: name === 'phone' });
        const page = await context.newPage();
        await page.goto('/');
        await page.waitForFunction(() => window.__hexwatch?.firstHexagonsMs != null, undefined, { timeout: 120_000 });
        const timing = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
          const hexbins = resources.find((e) => e.name.includes('map.hexbins'));
          const mapChunk = resources.find((e) => /\/assets\/maplibre-[^/]*\.js$/.test(e.name));
          return {
            firstHexagonsMs: window.__hexwatch!.firstHexagonsMs!,
            hexbinsRequestedMs: hexbins?.startTime ?? NaN,
            mapChunkLoadedMs: mapChunk?.responseEnd ?? NaN,
            hexbinsAnsweredMs: hexbins?.responseEnd ?? NaN,
            domContentLoadedMs: nav.domContentLoadedEventEnd,
            cells: window.__hexwatch!.drawnCells,
          };
        });
        if (run >= 0) results[name]!.push(timing);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [
      name,
      {
        runs: runs.length,
        firstHexagonsMedianMs: Math.round(median(runs.map((r) => r.firstHexagonsMs))),
        firstHexagonsMaxMs: Math.round(Math.max(...runs.map((r) => r.firstHexagonsMs))),
        mapChunkLoadedMedianMs: Math.round(median(runs.map((r) => r.mapChunkLoadedMs))),
        hexbinsRequestedMedianMs: Math.round(median(runs.map((r) => r.hexbinsRequestedMs))),
        hexbinsAnsweredMedianMs: Math.round(median(runs.map((r) => r.hexbinsAnsweredMs))),
        domContentLoadedMedianMs: Math.round(median(runs.map((r) => r.domContentLoadedMs))),
        cells: runs[0]?.cells ?? 0,
      },
    ]),
  );

  console.log('\nproduction build, JavaScript gzipped (level 9)');
  console.table(sizes.files.map((f) => ({ file: f.file, kind: f.kind, 'raw kB': f.rawKb, 'gzip kB': f.gzKb })));
  console.table({
    'first screen (entry + preloads)': { 'gzip kB': sizes.initialGzKb },
    'lazy (map: MapLibre, deck.gl, app map code)': { 'gzip kB': sizes.lazyGzKb },
    'MapLibre worker': { 'gzip kB': sizes.workerGzKb },
    total: { 'gzip kB': sizes.totalJsGzKb },
  });
  console.log(`\nnavigation -> first drawn hexagons, ${args.size} demo, median of ${RUNS} cold-cache runs (aim ${AIM_MS} ms)`);
  console.table(
    Object.fromEntries(
      Object.entries(summary).map(([name, s]) => [
        name,
        {
          'DOMContentLoaded ms': s.domContentLoadedMedianMs,
          'map chunk loaded ms': s.mapChunkLoadedMedianMs,
          'hexbins requested ms': s.hexbinsRequestedMedianMs,
          'hexbins answered ms': s.hexbinsAnsweredMedianMs,
          'first hexagons ms': s.firstHexagonsMedianMs,
          'worst ms': s.firstHexagonsMaxMs,
          cells: s.cells,
        },
      ]),
    ),
  );

  mkdirSync(join(ROOT, 'tests/bench/results'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', load: readFileSync('/proc/loadavg', 'utf8').trim() },
        demo: args.size,
        seedSeconds: Math.round(seedS),
        aimMs: AIM_MS,
        bundle: sizes,
        firstHexagons: summary,
        raw: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwritten ${RESULTS}`);
}

await main();
