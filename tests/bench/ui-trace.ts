/**
 * `npm run bench:ui-trace` — where the main thread goes on a cold first load, up to the first
 * drawn hexagons (issue 12: "no work on the main thread that the first paint does not need").
 * Starts the test server (small demo), signs in as the demo analyst, then loads `/` once in a
 * fresh context with Chromium's timeline tracing on, and prints the main thread's busy time by
 * kind of work (script evaluation, functions called, layout, style, GC...) and by script.
 * Uses the build in dist/client (`npx vite build` first). Writes the raw trace to
 * $TMPDIR/hexwatch-ui-trace.json (open it in DevTools' Performance panel or ui.perfetto.dev).
 *
 *   npm run bench:ui-trace -- [--phone]
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer } from '../support/test-server.js';
import { DESKTOP, PHONE, launchBrowser, openPage } from '../e2e/support/browser.js';

const TRACE_FILE = join(tmpdir(), 'hexwatch-ui-trace.json');
const { values: args } = parseArgs({ options: { phone: { type: 'boolean', default: false } } });

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; frame?: string; stackTrace?: Array<{ url?: string }> } };
}

const server = await startTestServer({ demo: 'small' });
const browser = await launchBrowser();
try {
  const viewport = args.phone ? PHONE : DESKTOP;
  const first = await openPage(browser, server.url, { viewport, mobile: args.phone });
  await first.page.goto('/');
  await first.page.getByTestId('demo-user-demo-analyst').click();
  await first.page.getByTestId('map').waitFor();
  const storageState = await first.page.context().storageState();
  await first.context.close();

  const context = await browser.newContext({ baseURL: server.url, viewport, storageState, deviceScaleFactor: 1, isMobile: args.phone, hasTouch: args.phone });
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
  await page.goto('/');
  await page.waitForFunction(() => window.__hexwatch?.firstHexagonsMs != null, undefined, { timeout: 120_000 });
  const firstHexagonsMs = await page.evaluate(() => window.__hexwatch!.firstHexagonsMs!);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  await context.close();
  writeFileSync(TRACE_FILE, JSON.stringify(trace));
  console.log(`trace written to ${TRACE_FILE}`);

  const events = trace.traceEvents;
  // The page's main thread: the renderer thread named CrRendererMain that ran the navigation's scripts.
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busiest = mains
    .map((m) => ({ m, total: events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').reduce((a, e) => a + (e.dur ?? 0), 0) }))
    .sort((a, b) => b.total - a.total)[0]!.m;
  const nav = events.find((e) => e.pid === busiest.pid && (e.name === 'navigationStart' || e.name === 'markAsMainFrame')) ?? events.find((e) => e.pid === busiest.pid)!;
  const start = nav.ts;
  const end = start + firstHexagonsMs * 1000;
  // Top-level tasks only: RunTask is the scheduler's slice; what ran inside it is counted by kind.
  const onMain = events.filter((e) => e.pid === busiest.pid && e.tid === busiest.tid && e.ph === 'X' && e.ts >= start && e.ts <= end);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const busyMs = tasks.reduce((a, e) => a + (e.dur ?? 0), 0) / 1000;
  const byKind = new Map<string, number>();
  const byScript = new Map<string, number>();
  // A sweep with a stack of open slices: the direct children of a task are what it ran.
  const sorted = [...onMain].filter((e) => e.dur).sort((x, y) => x.ts - y.ts || y.dur! - x.dur!);
  const open: TraceEvent[] = [];
  for (const e of sorted) {
    while (open.length && open.at(-1)!.ts + open.at(-1)!.dur! <= e.ts) open.pop();
    const parent = open.at(-1);
    open.push(e);
    if (parent?.name !== 'RunTask') continue;
    byKind.set(e.name, (byKind.get(e.name) ?? 0) + e.dur! / 1000);
    const url = e.args?.data?.url ?? e.args?.data?.stackTrace?.[0]?.url;
    if (url) {
      const file = url.replace(/^.*\/assets\//, '').replace(/-[A-Za-z0-9_-]{8}\.(m?js)$/, '.$1');
      byScript.set(file, (byScript.get(file) ?? 0) + e.dur! / 1000);
    }
  }
  const table = (m: Map<string, number>) =>
    Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => [k, { ms: Math.round(v) }]));
  console.log(`${args.phone ? 'phone' : 'desktop'}: first hexagons at ${Math.round(firstHexagonsMs)} ms; main thread busy ${Math.round(busyMs)} ms of it`);
  console.log('\nmain-thread time by kind of work (top-level in each task)');
  console.table(table(byKind));
  console.log('main-thread time by script (evaluation and calls attributed to a script URL)');
  console.table(table(byScript));
} finally {
  await browser.close();
  await server.close();
}
