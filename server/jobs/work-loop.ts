/**
 * The daily loop of a store manager in Feishu (issue 15): a morning card with what is overdue,
 * due today and awaiting review, and escalation of incidents overdue past a threshold to the
 * analysts. Cards go through the outbox (delivered, retried and deduplicated like alerts); this
 * module decides what to send and to whom. The numbers come from the same store calls as the
 * app's own (`myWork`, `closureCounts`), so the card and the app agree.
 */
import { closureMonths, instantToMonthKey, monthlyClosureRate } from '../domain/closure.js';
import { zoneOffsetMs } from '../domain/closure.js';
import type { IncidentStore, StoreRecord, User } from '../store/types.js';
import type { WorkItem } from '../store/workflow.js';
import type { OutboxMessage } from '../store/work-loop.js';
import type { WorkLoopSettings } from '../store/security.js';
import { digestCard, digestHasWork, escalationCard } from '../feishu/work-cards.js';
import type { CardLinks, DigestData, WorkCardItem } from '../feishu/work-cards.js';

/** Items listed per section of the morning card. */
export const DIGEST_TOP = 5;
/** Work items read per store for the card: more than any store's open list in practice. */
const WORK_LIMIT = 200;

/** Most severe first, then the earliest due: what a manager should do first. */
export function byUrgency(a: WorkCardItem, b: WorkCardItem): number {
  return b.severity - a.severity || (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || a.id - b.id;
}

function toCardItem(w: WorkItem): WorkCardItem {
  return { id: w.id, version: w.version, kind: w.kind, category: w.category, severity: w.severity, status: w.status, dueAt: w.dueAt, occurredAt: w.occurredAt };
}

/** The instant the local day of `now` ends in `tz`. */
export function endOfLocalDay(now: Date, tz: string): Date {
  const offset = zoneOffsetMs(now, tz);
  const local = now.getTime() + offset;
  const dayEnd = Math.floor(local / 86_400_000) * 86_400_000 + 86_400_000;
  return new Date(dayEnd - zoneOffsetMs(new Date(dayEnd - offset), tz));
}

/** `HH:MM` of `now` in `tz`. */
export function localTime(now: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
}

/** The morning card's data for one manager and one of their stores. */
export async function digestFor(store: IncidentStore, manager: User, shop: StoreRecord, now: Date): Promise<DigestData> {
  const city = (await store.listCities()).find((c) => c.id === shop.cityId)!;
  const actor = { id: manager.id, role: manager.role, storeIds: [shop.id] };
  const [work, settings, cells] = await Promise.all([
    store.workflow.myWork(actor, { now, limit: WORK_LIMIT }),
    store.security.settings(),
    store.workflow.closureCounts({ filters: { cityIds: [shop.cityId] }, months: closureMonths(now, 1, [city.tz]) }, { all: true }),
  ]);
  const dayEnd = endOfLocalDay(now, city.tz);
  const open = work.work.items.map(toCardItem);
  const overdue = open.filter((i) => i.dueAt && i.dueAt < now).sort(byUrgency);
  const dueToday = open.filter((i) => i.dueAt && i.dueAt >= now && i.dueAt < dayEnd).sort(byUrgency);
  const reviews = work.reviews.items.map(toCardItem).sort(byUrgency);
  // month to date: this store's rate and its rank among the city's stores with incidents this month
  const month = instantToMonthKey(now, city.tz);
  const rates = cells
    .filter((c) => c.storeId !== null && c.month === month && c.occurred > 0)
    .map((c) => ({ storeId: c.storeId!, rate: monthlyClosureRate(c.closedNow, c.occurred)!, occurred: c.occurred, closed: c.closedNow }))
    .sort((a, b) => b.rate - a.rate || a.storeId - b.storeId);
  const mine = rates.find((r) => r.storeId === shop.id);
  return {
    store: { id: shop.id, code: shop.code, name: shop.name, cityName: city.nameZh ?? city.name, tz: city.tz },
    managerName: manager.name,
    now,
    overdue: { total: work.work.overdue, top: overdue.slice(0, DIGEST_TOP) },
    dueToday: { total: dueToday.length, top: dueToday.slice(0, DIGEST_TOP) },
    awaitingReview: { total: work.reviews.total, top: reviews.slice(0, DIGEST_TOP) },
    closure: {
      month,
      rate: mine ? mine.rate : null,
      occurred: mine?.occurred ?? 0,
      closed: mine?.closed ?? 0,
      target: settings.closureTarget,
      rank: mine ? rates.indexOf(mine) + 1 : null,
      of: rates.length,
    },
  };
}

export interface DigestOptions {
  links: CardLinks;
  now?: Date;
  /** Only this store (code). */
  storeCode?: string;
  /** Ignore each city's digest time (a run by hand). */
  force?: boolean;
  /** Only the stores of these cities (the scheduler runs each city at its own time). */
  cityIds?: number[];
}

export interface DigestReport {
  /** Cards built, and of those queued now (not queued before today). */
  cards: Array<{ manager: string; store: string; hasWork: boolean; queued: boolean; card: Record<string, unknown> }>;
  /** Managers skipped: nothing to do (without a daily summary), or no Feishu account. */
  skipped: Array<{ manager: string; store: string; reason: string }>;
}

function digestTime(settings: WorkLoopSettings, cityId: number): string {
  return settings.digestTimes[String(cityId)] ?? settings.digestTimes.default ?? '08:30';
}

/**
 * Builds (and unless `dryRun`, queues) today's morning cards: one per store manager and store,
 * at or after the city's digest time, once per local day (the outbox's dedupe key).
 */
export async function runMorningDigest(store: IncidentStore, opts: DigestOptions & { dryRun?: boolean }): Promise<DigestReport> {
  const now = opts.now ?? new Date();
  const [settings, users, stores, cities] = await Promise.all([store.security.settings(), store.listUsers(), store.listStores({ all: true }), store.listCities()]);
  const tzOf = new Map(cities.map((c) => [c.id, c.tz]));
  const report: DigestReport = { cards: [], skipped: [] };
  const messages: OutboxMessage[] = [];
  for (const manager of users.filter((u) => u.role === 'store_manager')) {
    for (const shop of stores.filter((s) => manager.storeIds.includes(s.id) && (!opts.storeCode || s.code === opts.storeCode) && (!opts.cityIds || opts.cityIds.includes(s.cityId)))) {
      const tz = tzOf.get(shop.cityId)!;
      if (!opts.force && localTime(now, tz) < digestTime(settings.workLoop, shop.cityId)) continue;
      const data = await digestFor(store, manager, shop, now);
      const hasWork = digestHasWork(data);
      if (!hasWork && !settings.workLoop.dailySummary) {
        report.skipped.push({ manager: manager.id, store: shop.code, reason: 'nothing to do' });
        continue;
      }
      const group = settings.workLoop.toStoreGroup ? await store.alerts.getTarget(shop.id) : null;
      const receiver = group?.channel === 'app' && group.chatId && group.enabled ? { type: 'chat_id' as const, id: group.chatId } : manager.feishuOpenId ? { type: 'open_id' as const, id: manager.feishuOpenId } : null;
      const card = digestCard(data, opts.links);
      if (!receiver) {
        report.skipped.push({ manager: manager.id, store: shop.code, reason: 'no Feishu account (open id) and no store group' });
        continue;
      }
      const day = new Intl.DateTimeFormat('sv-SE', { timeZone: tz }).format(now);
      messages.push({ storeId: shop.id, dedupeKey: `digest-${day}-${manager.id}`.slice(0, 120), payload: card, receiver });
      report.cards.push({ manager: manager.id, store: shop.code, hasWork, queued: false, card });
    }
  }
  if (!opts.dryRun) {
    // one at a time, to tell which were new today
    for (let k = 0; k < messages.length; k++) report.cards[k]!.queued = (await store.workLoop.enqueue([messages[k]!], now)) > 0;
  }
  return report;
}

export interface EscalationReport {
  /** Incidents escalated now (a new step). */
  escalated: Array<{ incidentId: number; step: number; analysts: string[] }>;
}

/**
 * Escalates incidents overdue by more than the configured hours to the analysts (every user with
 * the analyst role and a Feishu account): one card each per step, step k after k times the
 * threshold, and a line in the incident's timeline. A step is never sent twice.
 */
export async function runEscalations(store: IncidentStore, opts: { links: CardLinks; now?: Date }): Promise<EscalationReport> {
  const now = opts.now ?? new Date();
  const settings = await store.security.settings();
  const stepMs = settings.workLoop.escalateAfterHours * 3_600_000;
  const report: EscalationReport = { escalated: [] };
  const users = await store.listUsers();
  const analysts = users.filter((u) => u.role === 'analyst' && u.feishuOpenId);
  if (!analysts.length) return report;
  const stores = new Map((await store.listStores({ all: true })).map((s) => [s.id, s]));
  for (const incident of await store.workLoop.overdueIncidents(new Date(now.getTime() - stepMs), 500)) {
    const overdueMs = now.getTime() - incident.dueAt.getTime();
    const step = Math.floor(overdueMs / stepMs);
    const shop = stores.get(incident.storeId);
    if (!shop || step < 1) continue;
    const managers = users.filter((u) => u.role === 'store_manager' && u.storeIds.includes(shop.id)).map((u) => u.name);
    const card = escalationCard({ incident, store: shop, overdueMs, step, managers }, opts.links);
    const messages: OutboxMessage[] = analysts.map((a) => ({
      storeId: shop.id,
      dedupeKey: `escalate-${incident.id}-${step}-${a.id}`.slice(0, 120),
      payload: card,
      receiver: { type: 'open_id', id: a.feishuOpenId! },
    }));
    // the first key stands for the step in recordEscalation: keep the analysts in a stable order
    const note = `升级给分析师（超期 ${Math.floor(overdueMs / 3_600_000)} 小时，第 ${step} 次）：${analysts.map((a) => a.name).join('、')}`;
    if (await store.workLoop.recordEscalation(incident, messages, note, now)) {
      report.escalated.push({ incidentId: incident.id, step, analysts: analysts.map((a) => a.id) });
    }
  }
  return report;
}

/**
 * The scheduler's daily run: each city's morning cards once per local day, at or after its
 * digest time. The day is marked before the run (meta), so a restart does not send again; two
 * instances racing both queue the same cards, which the outbox's dedupe keys drop.
 */
export async function runDueDigests(store: IncidentStore, opts: { links: CardLinks; now?: Date }): Promise<DigestReport[]> {
  const now = opts.now ?? new Date();
  const settings = await store.security.settings();
  const reports: DigestReport[] = [];
  for (const city of await store.listCities()) {
    if (localTime(now, city.tz) < digestTime(settings.workLoop, city.id)) continue;
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: city.tz }).format(now);
    const key = `work-loop.digest-day.${city.id}`;
    if ((await store.getMeta(key)) === day) continue;
    await store.setMeta(key, day);
    reports.push(await runMorningDigest(store, { links: opts.links, now, cityIds: [city.id] }));
  }
  return reports;
}
