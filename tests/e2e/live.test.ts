/**
 * Live updates in the browser (issue 14): two pages. A closure made on one page changes the
 * other page's KPI card and its hexagon's open count without a reload, the hexagon in place
 * (no new map request); a new incident shows in its "N new since" counter.
 */
import { describe, expect, test } from 'vitest';
import {
  cellOpenCount,
  centreOnBusiestCell,
  clickHexagon,
  incidentAction,
  incidentDetail,
  kpiValue,
  openIncidentFromList,
  recordHexbinRequests,
  signInAs,
  toggleFilter,
  waitForCellOpen,
  waitForHexagons,
  waitForKpi,
} from './support/driver.js';
import {
  markPage,
  newIncidentsText,
  pageStillMarked,
  recordLiveRequests,
  reportAccidentNow,
  setPageHidden,
  waitForLive,
  waitForLivePaused,
} from './support/live-driver.js';
import { useE2eSession } from './support/session.js';

describe('a live map (issue 14)', { timeout: 180_000 }, () => {
  const session = useE2eSession();

  test("a manager's closure moves the analyst's KPI card and hexagon without a reload", async () => {
    await reportAccidentNow(session.url, 'FZ-001');
    // the manager finds an open accident on the map
    const manager = (await session.newPage()).page;
    await signInAs(manager, 'demo-manager-fz');
    await waitForHexagons(manager);
    await toggleFilter(manager, 'kind', 'accident');
    for (const status of ['open', 'assigned', 'in_progress']) await toggleFilter(manager, 'st', status);
    await centreOnBusiestCell(manager, 13);
    const { cell } = await clickHexagon(manager);
    const id = await openIncidentFromList(manager);
    const before = await incidentDetail(manager, id);

    // the analyst watches the same view and filters (the manager's link, without the selection)
    const link = new URL(manager.url());
    link.searchParams.delete('cell');
    link.searchParams.delete('incident');
    const analyst = (await session.newPage()).page;
    await signInAs(analyst, 'demo-analyst');
    await analyst.goto(`${link.pathname}${link.search}`);
    await waitForHexagons(analyst);
    await waitForLive(analyst);
    const openBefore = await kpiValue(analyst, 'kpi-open');
    const cellOpenBefore = await cellOpenCount(analyst, cell);
    expect(cellOpenBefore, `cell ${cell} drawn on the analyst's page`).toBeGreaterThan(0);
    await markPage(analyst);
    const analystHexbins = recordHexbinRequests(analyst);

    const path = ['assigned', 'in_progress', 'closed'];
    for (const to of path.slice(path.indexOf(before.status) + 1)) {
      const opts = to === 'closed' ? { resolution: 'rider_coached', note: 'Talked the rider through the junction.' } : {};
      expect(await incidentAction(manager, id, to, opts)).toBe(to);
    }

    // the analyst's page follows: the KPI card refetched, the hexagon updated in place
    await waitForKpi(analyst, 'kpi-open', openBefore - 1);
    await waitForCellOpen(analyst, cell, cellOpenBefore! - 1);
    expect(await pageStillMarked(analyst)).toBe(true);
    expect(analystHexbins, 'no map request for the change').toEqual([]);

    // a new incident reported meanwhile counts as news on the analyst's page
    await reportAccidentNow(session.url, 'FZ-001');
    expect(await newIncidentsText(analyst)).toMatch(/^1 new since \d\d:\d\d$/);
  });

  test('a hidden page pauses its stream and, shown again, resumes with the changes it missed', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-analyst');
    await waitForHexagons(page);
    await waitForLive(page);
    const requests = recordLiveRequests(page);
    await setPageHidden(page, true);
    await waitForLivePaused(page);
    await reportAccidentNow(session.url, 'FZ-001');
    await reportAccidentNow(session.url, 'XM-001');
    // nothing arrives while hidden
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.getByTestId('live-new').count()).toBe(0);
    await setPageHidden(page, false);
    await waitForLive(page);
    expect(await newIncidentsText(page)).toMatch(/^2 new since \d\d:\d\d$/);
    // it resumed from where it stopped rather than from now
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0]!.lastEventId).toMatch(/^\d+$/);
  });
});
