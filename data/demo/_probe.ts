import { buildDemoPlan } from '/work/main/data/demo/plan.js';
import { generateIncidents } from '/work/main/data/demo/incidents.js';
import { localMonthKey } from '/work/main/data/demo/calendar.js';
const size = (process.argv[2] ?? 'small') as any;
const now = new Date('2025-06-15T04:00:00Z');
let t0 = performance.now();
const plan = buildDemoPlan(size, 1, now);
console.log('plan ms', performance.now() - t0, plan.stores.length, plan.hotSpots.length);
t0 = performance.now();
const months = new Map<string, [number, number]>();
let n = 0, acc = 0, ev = 0, noStore = 0, overdue = 0, pending = 0, rejected = 0, ai = 0;
const sev = [0,0,0,0,0]; const status: Record<string, number> = {};
const hours = new Array(24).fill(0);
for (const r of generateIncidents(plan, { cityIds: plan.cities.map((_, i) => i + 1), storeIds: plan.stores.map((_, i) => i + 1) })) {
  n++; ev += r.events.length; if (r.kind === 'accident') acc++; else ai++;
  if (r.storeId === null) noStore++;
  sev[r.severity]++; status[r.status] = (status[r.status] ?? 0) + 1;
  if (r.review === 'pending') pending++; if (r.review === 'rejected') rejected++;
  if (!['closed','dismissed'].includes(r.status) && r.dueAt!.getTime() < now.getTime()) overdue++;
  hours[new Date(r.occurredAt.getTime() + 8*3600e3).getUTCHours()]++;
  if (r.review === 'pending' || r.review === 'rejected') continue;
  const m = localMonthKey(r.occurredAt.getTime());
  const e = months.get(m) ?? [0, 0]; e[0]++; if (r.status === 'closed' || r.status === 'dismissed') e[1]++; months.set(m, e);
}
console.log('gen ms', performance.now() - t0, { n, acc: acc / n, ev: ev / n, noStore, overdue, pending, rejected: rejected / ai, sev, status });
console.log(hours.map((h, i) => `${i}:${(100*h/n).toFixed(1)}`).join(' '));
for (const [m, [o, c]] of months) console.log(m, o, (c / o).toFixed(3));
