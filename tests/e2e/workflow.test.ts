import { describe, expect, test } from 'vitest';
import {
  cellIncidents,
  cellOpenCount,
  centreOnBusiestCell,
  clickHexagon,
  incidentAction,
  incidentDetail,
  kpiValue,
  openIncidentFromList,
  openMap,
  signInAs,
  toggleFilter,
  waitForCellOpen,
  waitForHexagons,
  waitForKpi,
} from './support/driver.js';
import { useE2eSession } from './support/session.js';

describe('closing the loop (issue 5)', { timeout: 120_000 }, () => {
  const session = useE2eSession();

  test('a store manager closes an incident and sees the KPI and the hexagon change; an analyst reopens it', async () => {
    const { page } = await session.newPage();
    await signInAs(page, 'demo-manager-fz');
    await waitForHexagons(page);
    // Accidents (no AI review stands between them and the workflow) that are not closed yet:
    // closing one takes it out of this filter, so the counts change at the close and not before.
    await toggleFilter(page, 'kind', 'accident');
    for (const status of ['open', 'assigned', 'in_progress']) await toggleFilter(page, 'st', status);
    await centreOnBusiestCell(page, 13);
    const { cell } = await clickHexagon(page);
    await cellIncidents(page, cell);
    const openBefore = await kpiValue(page, 'kpi-open');
    const cellOpenBefore = (await cellOpenCount(page, cell))!;
    const id = await openIncidentFromList(page);
    const before = await incidentDetail(page, id);
    expect(before.actions).not.toContain('action-open');

    // open -> assigned -> in_progress -> closed, from wherever it stands.
    const path = ['assigned', 'in_progress', 'closed'];
    const steps = path.slice(path.indexOf(before.status) + 1);
    for (const to of steps) {
      if (to !== 'closed') {
        expect(await incidentAction(page, id, to)).toBe(to);
        // Still in the filter: the counts have not moved yet.
        expect(await kpiValue(page, 'kpi-open')).toBe(openBefore);
      }
    }
    expect(await incidentAction(page, id, 'closed', { resolution: 'rider_coached', note: 'Talked the rider through the junction.' })).toBe('closed');

    // Without a reload: the KPI card and the hexagon's open count follow.
    await waitForKpi(page, 'kpi-open', openBefore - 1);
    await waitForCellOpen(page, cell, cellOpenBefore - 1);
    const closed = await incidentDetail(page, id);
    expect(closed.events).toBe(before.events + steps.length);
    // A store manager may not reopen.
    expect(closed.actions).not.toContain('action-open');

    const analyst = await session.newPage();
    await signInAs(analyst.page, 'demo-analyst');
    await openMap(analyst.page, undefined, `incident=${id}&kind=accident`);
    const seen = await incidentDetail(analyst.page, id);
    expect(seen.status).toBe('closed');
    expect(await incidentAction(analyst.page, id, 'open', { note: 'Same rider again.' })).toBe('open');
    const reopened = await incidentDetail(analyst.page, id);
    expect(reopened.events).toBe(closed.events + 1);
  });
});
