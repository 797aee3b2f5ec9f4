/**
 * `npm run bench:ui` — the front end's weight and speed (issues 4 and 12).
 *
 * 1. Builds the production client and reports its JavaScript gzipped: what the first screen
 *    loads (entry and preloads), what loads later (the map: MapLibre, deck.gl; charts, admin,
 *    panels), and the MapLibre worker.
 * 2. Starts the real server on the DEFAULT demo (~200k incidents, DuckDB, a temporary DATA_DIR;
 *    seeding takes a minute or so) and opens the map as the demo analyst in headless Chromium
 *    (tests/e2e/support/browser.ts), each run in a fresh browser context (cold HTTP cache, the
 *    session cookie kept): the time from navigation start to the first deck.gl draw with
 *    hexagons, with the first `map.hexbins` answer along the way.
 * 3. The floor, in the same run, on the same page size and camera: client/bench/basemap-only.html,
 *    the offline basemap drawn by MapLibre alone (same MapLibre chunk and worker, no React, no
 *    data, no deck.gl), from navigation start to MapLibre's first `idle` (everything drawn).
 *    App and floor runs alternate, so that the machine's load falls on both alike.
 * Desktop and phone (tests/e2e/support/browser.ts DESKTOP, PHONE); medians of `--runs` (default 7)
 * cold runs after one unmeasured warm-up each. The target (issue 12): first hexagons at most
 * 1.5x the floor. Prints tables and writes tests/bench/results/ui-latest.json.
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
// CLIENT_DIR as vite.config.ts and the server read it: the build measured and served
const DIST = process.env.CLIENT_DIR ? resolve(process.env.CLIENT_DIR) : join(ROOT, 'dist/client');
const RESULTS = join(ROOT, 'tests/bench/results/ui-latest.json');
/** Issue 12's target: first hexagons at most this many times the basemap-only floor. */
const TARGET_RATIO = 1.5;

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
  files: Array<{ file: string; kind: 'initial' | 'lazy' | 'worker' | 'bench'; rawKb: number; gzKb: number }>;
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
      const kind = f.includes('worker')
        ? ('worker' as const)
        : initial.has(`assets/${f}`)
          ? ('initial' as const)
          : f.startsWith('basemap-only-')
            ? ('bench' as const) // the floor page's entry (client/bench), not part of the app
            : ('lazy' as const);
      return { file: f, kind, rawKb: kb(statSync(path).size), gzKb: kb(gzipSync(raw, { level: 9 }).length) };
    })
    .sort((a, b) => b.gzKb - a.gzKb);
  const sum = (kind: string) => files.filter((f) => f.kind === kind).reduce((a, f) => a + f.gzKb, 0);
  return {
    initialGzKb: sum('initial'),
    lazyGzKb: sum('lazy'),
    workerGzKb: sum('worker'),
    totalJsGzKb: files.filter((f) => f.kind !== 'bench').reduce((a, f) => a + f.gzKb, 0),
    files,
  };
}

interface RunTiming {
  firstHexagonsMs: number;
  hexbinsRequestedMs: number;
  hexbinsAnsweredMs: number;
  /** When the map's code was asked for (the MapLibre chunk's request) and when it was in. */
  mapChunkRequestedMs: number;
  mapChunkLoadedMs: number;
  domContentLoadedMs: number;
  /** `map.hexbins` requests sent by the time the first hexagons were drawn (1: nothing asked twice). */
  hexbinsRequests: number;
  cells: number;
}

interface FloorTiming {
  /** MapLibre alone: first `idle` (style, land polygons, first frames all done). */
  basemapOnlyMs: number;
  /** Its first `load` (style in, first frame). */
  loadMs: number;
}

type Viewport = 'desktop' | 'phone';
const VIEWPORTS: ReadonlyArray<readonly [Viewport, { width: number; height: number }]> = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
];

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
  const results: Record<Viewport, RunTiming[]> = { desktop: [], phone: [] };
  const floors: Record<Viewport, FloorTiming[]> = { desktop: [], phone: [] };
  const loads: string[] = [readFileSync('/proc/loadavg', 'utf8').trim()];
  try {
    // Sign in once; every run reuses the cookie in a fresh context (cold cache, warm session).
    const first = await openPage(browser, server.url);
    await first.page.goto('/');
    await first.page.getByTestId('demo-user-demo-analyst').click();
    await first.page.getByTestId('map').waitFor();
    const storageState = await first.page.context().storageState();
    await first.page.context().close();

    for (const [name, viewport] of VIEWPORTS) {
      const contextOptions = { baseURL: server.url, viewport, deviceScaleFactor: 1, locale: 'zh-CN', isMobile: name === 'phone', hasTouch: name === 'phone' };
      // The floor draws the camera the app's first screen showed on this page size.
      let camera = '';
      // One unmeasured run of each warms the server (DuckDB's first scan of the table, V8 JIT).
      for (let run = -1; run < RUNS; run++) {
        const context = await browser.newContext({ ...contextOptions, storageState });
        const page = await context.newPage();
        let hexbinsRequests = 0;
        page.on('request', (req) => {
          if (req.url().includes('map.hexbins')) hexbinsRequests++;
        });
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
            mapChunkRequestedMs: mapChunk?.startTime ?? NaN,
            mapChunkLoadedMs: mapChunk?.responseEnd ?? NaN,
            hexbinsAnsweredMs: hexbins?.responseEnd ?? NaN,
            domContentLoadedMs: nav.domContentLoadedEventEnd,
            cells: window.__hexwatch!.drawnCells,
            view: window.__hexwatch!.view(),
          };
        });
        const { view, ...measured } = timing;
        if (run < 0) camera = `?lat=${view.lat}&lng=${view.lng}&z=${view.zoom}`;
        else results[name].push({ ...measured, hexbinsRequests });
        await context.close();

        const floorContext = await browser.newContext(contextOptions);
        const floorPage = await floorContext.newPage();
        await floorPage.goto(`/bench/basemap-only.html${camera}`);
        await floorPage.waitForFunction(() => window.__basemapOnly?.idleMs != null, undefined, { timeout: 120_000 });
        const floor = await floorPage.evaluate(() => ({ basemapOnlyMs: window.__basemapOnly!.idleMs!, loadMs: window.__basemapOnly!.loadMs! }));
        if (run >= 0) floors[name].push(floor);
        await floorContext.close();
      }
      loads.push(readFileSync('/proc/loadavg', 'utf8').trim());
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const med = (xs: number[]) => Math.round(median(xs));
  const summarize = (name: Viewport) => {
    const runs = results[name];
    const floor = floors[name];
    const firstHexagonsMs = med(runs.map((r) => r.firstHexagonsMs));
    const basemapOnlyMs = med(floor.map((r) => r.basemapOnlyMs));
    return {
      runs: runs.length,
      firstHexagonsMedianMs: firstHexagonsMs,
      firstHexagonsMaxMs: Math.round(Math.max(...runs.map((r) => r.firstHexagonsMs))),
      basemapOnlyMedianMs: basemapOnlyMs,
      basemapOnlyLoadMedianMs: med(floor.map((r) => r.loadMs)),
      ratio: Math.round((firstHexagonsMs / basemapOnlyMs) * 100) / 100,
      hexbinsRequestedMedianMs: med(runs.map((r) => r.hexbinsRequestedMs)),
      mapChunkRequestedMedianMs: med(runs.map((r) => r.mapChunkRequestedMs)),
      mapChunkLoadedMedianMs: med(runs.map((r) => r.mapChunkLoadedMs)),
      hexbinsAnsweredMedianMs: med(runs.map((r) => r.hexbinsAnsweredMs)),
      domContentLoadedMedianMs: med(runs.map((r) => r.domContentLoadedMs)),
      maxHexbinsRequests: Math.max(...runs.map((r) => r.hexbinsRequests)),
      cells: runs[0]?.cells ?? 0,
    };
  };
  const summary = { desktop: summarize('desktop'), phone: summarize('phone') };

  console.log('\nproduction build, JavaScript gzipped (level 9)');
  console.table(sizes.files.map((f) => ({ file: f.file, kind: f.kind, 'raw kB': f.rawKb, 'gzip kB': f.gzKb })));
  console.table({
    'first screen (entry + preloads)': { 'gzip kB': sizes.initialGzKb },
    'lazy (map: MapLibre, deck.gl; charts, admin, panels)': { 'gzip kB': sizes.lazyGzKb },
    'MapLibre worker': { 'gzip kB': sizes.workerGzKb },
    total: { 'gzip kB': sizes.totalJsGzKb },
  });
  console.log(`\nnavigation -> first drawn hexagons vs the basemap alone, ${args.size} demo, median of ${RUNS} cold-cache runs (target: at most ${TARGET_RATIO}x)`);
  console.table(
    Object.fromEntries(
      Object.entries(summary).map(([name, s]) => [
        name,
        {
          'DOMContentLoaded ms': s.domContentLoadedMedianMs,
          'hexbins requested ms': s.hexbinsRequestedMedianMs,
          'map chunk requested ms': s.mapChunkRequestedMedianMs,
          'map chunk loaded ms': s.mapChunkLoadedMedianMs,
          'hexbins answered ms': s.hexbinsAnsweredMedianMs,
          'first hexagons ms': s.firstHexagonsMedianMs,
          'worst ms': s.firstHexagonsMaxMs,
          'basemap only ms': s.basemapOnlyMedianMs,
          ratio: s.ratio,
          target: s.ratio <= TARGET_RATIO ? 'met' : `missed by ${Math.round((s.ratio / TARGET_RATIO - 1) * 100)}%`,
          'hexbins requests': s.maxHexbinsRequests,
          cells: s.cells,
        },
      ]),
    ),
  );
  console.log(`load average before / after desktop / after phone: ${loads.join(' | ')}`);

  mkdirSync(join(ROOT, 'tests/bench/results'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', load: loads },
        demo: args.size,
        runs: RUNS,
        seedSeconds: Math.round(seedS),
        targetRatio: TARGET_RATIO,
        firstHexagonsMs: { desktop: summary.desktop.firstHexagonsMedianMs, phone: summary.phone.firstHexagonsMedianMs },
        basemapOnlyMs: { desktop: summary.desktop.basemapOnlyMedianMs, phone: summary.phone.basemapOnlyMedianMs },
        ratio: { desktop: summary.desktop.ratio, phone: summary.phone.ratio },
        bundle: sizes,
        detail: summary,
        raw: { app: results, basemapOnly: floors },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwritten ${RESULTS}`);
}

await main();
