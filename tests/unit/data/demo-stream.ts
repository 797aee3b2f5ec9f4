/**
 * Shared by the demo unit tests: the `small` demo for a fixed `now`, generated once per file.
 */
import { createHash } from 'node:crypto';
import { generateIncidents } from '../../../data/demo/incidents.js';
import { SLA_HOURS_BY_SEVERITY } from '../../../server/domain/incident.js';
import { buildDemoPlan, type DemoPlan } from '../../../data/demo/plan.js';
import type { IncidentInput } from '../../../server/store/types.js';

/** A Sunday noon in mid-June (Asia/Shanghai), fixed so that every run sees the same demo. */
export const NOW = new Date('2025-06-15T04:00:00Z');

export function idsFor(plan: DemoPlan): { cityIds: number[]; storeIds: number[] } {
  return { cityIds: plan.cities.map((_, i) => i + 1), storeIds: plan.stores.map((_, i) => i + 1) };
}

export function smallDemo(seed = 1, now = NOW): { plan: DemoPlan; rows: IncidentInput[] } {
  const plan = buildDemoPlan('small', seed, now);
  return { plan, rows: [...generateIncidents(plan, idsFor(plan), SLA_HOURS_BY_SEVERITY)] };
}

/** sha256 over the whole stream, row by row (dates as ISO strings). */
export function streamHash(rows: Iterable<IncidentInput>): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(JSON.stringify(row)).update('\n');
  return hash.digest('hex');
}
