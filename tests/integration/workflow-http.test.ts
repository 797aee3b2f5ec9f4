/**
 * The workflow through real HTTP on the demo: a store manager's work list, closing an incident
 * step by step, a stale version answered 409 with the current status and version, and the KPI
 * counts moving with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer } from '../support/test-server.js';
import type { TestServer } from '../support/test-server.js';

describe('workflow over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: 'small' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const data = async (res: Response) => {
    const body = await res.json();
    if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body.error)}`);
    return body.result.data;
  };

  it("lets a store manager close an incident from their work list; a stale version gets 409", async () => {
    const manager = httpClient(server.url);
    await manager.mutate('auth.devLogin', { userId: 'demo-manager-fz' });
    const work = await data(await manager.query('incidents.myWork', { limit: 20 }));
    expect(work.basis).toBe('stores');
    expect(work.work.total).toBeGreaterThan(0);
    const dues = work.work.items.map((i: { dueAt: string }) => Date.parse(i.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));

    const target = work.work.items.find((i: { status: string }) => i.status === 'in_progress') ?? work.work.items[0];
    const kpisBefore = await data(await manager.query('stats.kpis', { filters: {} }));
    let version: number = target.version;
    const path: Record<string, string[]> = { open: ['assigned', 'in_progress', 'closed'], assigned: ['in_progress', 'closed'], in_progress: ['closed'] };
    for (const to of path[target.status as string]!) {
      const input = { id: target.id, to, expectedVersion: version, ...(to === 'closed' ? { resolution: 'rider_coached', note: 'talked to the rider' } : {}) };
      version = (await data(await manager.mutate('incidents.transition', input))).incident.version;
    }
    const detail = await data(await manager.query('incidents.byId', { id: target.id }));
    expect(detail.incident).toMatchObject({ status: 'closed', resolution: 'rider_coached', version });
    expect(detail.events.at(-1)).toMatchObject({ kind: 'transition', toStatus: 'closed', actor: 'demo-manager-fz', resolution: 'rider_coached' });
    expect(detail.actions.transitions).toEqual([]); // reopening is for analysts

    const kpisAfter = await data(await manager.query('stats.kpis', { filters: {} }));
    expect(kpisAfter.open).toBe(kpisBefore.open - 1);

    const stale = await manager.mutate('incidents.transition', { id: target.id, to: 'open', expectedVersion: version - 1 });
    expect(stale.status).toBe(409);
    const conflict = (await stale.json()).error;
    expect(conflict.message).toMatch(/^expectedVersion: .* now closed at version \d+/);
    expect(conflict.data.current).toEqual({ status: 'closed', version });

    const analyst = httpClient(server.url);
    await analyst.mutate('auth.devLogin', { userId: 'demo-analyst' });
    const reopened = await data(await analyst.mutate('incidents.transition', { id: target.id, to: 'open', expectedVersion: version }));
    expect(reopened.incident).toMatchObject({ status: 'open', closedAt: null, version: version + 1 });
  });

  it('serves the closure-rate series with months and the target', async () => {
    const analyst = httpClient(server.url);
    await analyst.mutate('auth.devLogin', { userId: 'demo-analyst' });
    const rate = await data(await analyst.query('stats.closureRate', { months: 6, by: 'city' }));
    expect(rate.months).toHaveLength(6);
    expect(rate.target).toBe(0.9);
    expect(rate.series.map((s: { name: string }) => s.name).sort()).toEqual(['Fuzhou', 'Xiamen']);
    const bad = await analyst.query('stats.closureRate', { months: 37 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^months: /);
  });
});
