/**
 * Charts that all cross-filter (issue 20), in a real browser whose own zone is not the cities':
 * a time-series day bar filters the map to that day in the cities' zone (Asia/Shanghai, UTC+8
 * all year, so the expected bounds are computed by hand here), and a month of the closure-rate
 * chart filters the map to that month.
 */
import { describe, expect, test } from 'vitest';
import { chartPoints, clickChartPoint, openDashboard, waitForCharts } from './support/dashboard-driver.js';
import { recordHexbinRequests, signInAs, waitForHexagons } from './support/driver.js';
import { useE2eSession } from './support/session.js';

const SLOW = 180_000;
/** Far from the demo cities' +8 h: a browser-zone day would be 15 hours off. */
const BROWSER_ZONE = 'America/Los_Angeles';
const HOUR_MS = 3_600_000;

/** Local midnight of `day` in Shanghai (UTC+8, no DST). */
const shanghaiMidnight = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - 8 * HOUR_MS).toISOString();

/** The drawn point standing highest (the biggest bar or rate), so that it is not at the axis. */
const highest = (points: Array<{ key: string; y: number }>) => points.reduce((a, b) => (b.y < a.y ? b : a));

describe('chart cross-filtering (issue 20)', () => {
  const session = useE2eSession();

  test('a day bar of the time series filters the map to that day in the cities zone', { timeout: SLOW }, async () => {
    const { page } = await session.newPage({ timezoneId: BROWSER_ZONE });
    const requests = recordHexbinRequests(page);
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page, { min: 5, timeout: 60_000 });
    await openDashboard(page);
    await waitForCharts(page);
    await page.getByTestId('timeseries-interval-day').click();
    await page.waitForFunction(() => (window.__hexwatchCharts?.['chart-timeseries']?.points().length ?? 0) > 20, null, { timeout: 60_000 });
    const bar = highest(await chartPoints(page, 'chart-timeseries'));
    const day = bar.key.split(':')[1]!;
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];

    await clickChartPoint(page, 'chart-timeseries', bar.key);
    const last = requests.at(-1)!;
    expect(last.filters?.from).toBe(shanghaiMidnight(y, m, d));
    expect(last.filters?.to).toBe(new Date(new Date(shanghaiMidnight(y, m, d + 1)).getTime() - 1).toISOString());
  });

  test('a month of the closure-rate chart filters the map to that month', { timeout: SLOW }, async () => {
    const { page } = await session.newPage({ timezoneId: BROWSER_ZONE });
    const requests = recordHexbinRequests(page);
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page, { min: 5, timeout: 60_000 });
    await openDashboard(page);
    await waitForCharts(page);
    const points = await chartPoints(page, 'closure-chart');
    expect(points.length).toBe(12);
    const month = highest(points).key;
    const [y, m] = month.split('-').map(Number) as [number, number];

    await clickChartPoint(page, 'closure-chart', month);
    const last = requests.at(-1)!;
    expect(last.filters?.from).toBe(shanghaiMidnight(y, m, 1));
    expect(last.filters?.to).toBe(new Date(new Date(shanghaiMidnight(y, m + 1, 1)).getTime() - 1).toISOString());
    await waitForHexagons(page, { min: 1, timeout: 60_000 });
  });

  test('a cell of the hour-of-week grid filters the map to that hour of the week; again clears it', { timeout: SLOW }, async () => {
    const { page } = await session.newPage({ timezoneId: BROWSER_ZONE });
    const requests = recordHexbinRequests(page);
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page, { min: 5, timeout: 60_000 });
    await openDashboard(page);
    await waitForCharts(page);
    expect(await chartPoints(page, 'chart-hour-of-week')).toHaveLength(7 * 24);

    // Tuesday (day 1), 18:00-18:59 in each city's zone
    await clickChartPoint(page, 'chart-hour-of-week', '1-18');
    expect(requests.at(-1)!.filters?.hourOfWeek).toEqual({ day: 1, hour: 18 });
    expect(new URL(page.url()).searchParams.get('how')).toBe('1-18');
    // the grid still shows every hour (it asks without its own filter)
    expect(await chartPoints(page, 'chart-hour-of-week')).toHaveLength(7 * 24);

    // the map has the unfiltered answer cached: no new request to wait for
    await clickChartPoint(page, 'chart-hour-of-week', '1-18', { waitForMap: false });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('how') === null, null, { timeout: 30_000 });
    await waitForHexagons(page, { min: 5, timeout: 60_000 });
  });
});
