/**
 * The cards of the work loop in Feishu (card JSON 2.0, reference §2 and §6): a store manager's
 * morning card, the escalation of an overdue incident to analysts, and the confirmation of an
 * accident reported in a store group. Buttons that act carry a `callback` behaviour whose value
 * names the action, the incident and the version the card showed, so that a stale card is told
 * what changed instead of acting twice. Pure: built from plain data, no store or HTTP.
 */
import { CATEGORIES_BY_KIND, KINDS, SEVERITIES } from '../domain/incident.js';
import type { Category, Kind, Severity, Status } from '../domain/incident.js';
import { CATEGORY_ZH, KIND_ZH, STATUS_ZH, ZH } from '../domain/glossary.js';
import { openUrlBehavior } from './card.js';
import type { FeishuAppLinkTarget } from './card.js';

/** What a callback button carries back (kept short: Feishu limits the value's size). */
export interface CardActionValue {
  /** assign: to the operator; start: in progress; remind: the store's manager; confirm_draft. */
  a: 'assign' | 'start' | 'remind' | 'confirm_draft';
  /** Incident id. */
  id: number;
  /** The version the card showed. */
  v: number;
  /** Which card to answer with. */
  card: 'digest' | 'escalation' | 'draft';
}

export interface CardLinks {
  publicUrl: string;
  app: FeishuAppLinkTarget | null;
}

export interface WorkCardItem {
  id: number;
  version: number;
  kind: Kind;
  category: Category;
  severity: Severity;
  status: Status;
  dueAt: Date | null;
  occurredAt: Date;
}

export interface DigestData {
  store: { id: number; code: string; name: string; cityName: string; tz: string };
  managerName: string;
  now: Date;
  overdue: { total: number; top: WorkCardItem[] };
  dueToday: { total: number; top: WorkCardItem[] };
  awaitingReview: { total: number; top: WorkCardItem[] };
  /** Month to date: closure rate (null: nothing occurred yet), target, rank among the city's stores. */
  closure: { month: string; rate: number | null; occurred: number; closed: number; target: number; rank: number | null; of: number };
}


function pct(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(0)}%`;
}

/** `3 h` / `2 d`: how far past due (or until due) a time is, in whole units. */
export function humanDuration(ms: number): string {
  const hours = Math.abs(ms) / 3_600_000;
  return hours >= 48 ? `${Math.floor(hours / 24)} 天` : `${Math.max(1, Math.floor(hours))} 小时`;
}

function itemLine(item: WorkCardItem, now: Date): string {
  const due = item.dueAt
    ? item.dueAt < now
      ? `超期 ${humanDuration(now.getTime() - item.dueAt.getTime())}`
      : `还剩 ${humanDuration(item.dueAt.getTime() - now.getTime())}`
    : '';
  return `**#${item.id}** ${KIND_ZH[item.kind]} · ${CATEGORY_ZH[item.category]} · ${ZH.severity} ${item.severity} · ${STATUS_ZH[item.status]}${due ? ` · ${due}` : ''}`;
}

function callbackButton(text: string, value: CardActionValue, type: 'primary' | 'default' = 'default'): Record<string, unknown> {
  return { tag: 'button', text: { tag: 'plain_text', content: text }, type, size: 'small', behaviors: [{ type: 'callback', value }] };
}

function linkButton(text: string, url: string, links: CardLinks): Record<string, unknown> {
  return { tag: 'button', text: { tag: 'plain_text', content: text }, type: 'default', size: 'small', behaviors: [openUrlBehavior(url, links.app)] };
}

/** The incident in the map, inside Feishu when the app is known. */
export function incidentUrl(publicUrl: string, id: number): string {
  return `${publicUrl.replace(/\/+$/, '')}/?incident=${id}`;
}

/** One work item with the buttons its status allows: assign to me (open), start (assigned), open. */
function itemRow(item: WorkCardItem, now: Date, links: CardLinks): Record<string, unknown>[] {
  const buttons: Record<string, unknown>[] = [];
  if (item.status === 'open') buttons.push(callbackButton('分派给我', { a: 'assign', id: item.id, v: item.version, card: 'digest' }, 'primary'));
  if (item.status === 'assigned') buttons.push(callbackButton('开始处理', { a: 'start', id: item.id, v: item.version, card: 'digest' }, 'primary'));
  buttons.push(linkButton('打开', incidentUrl(links.publicUrl, item.id), links));
  return [
    { tag: 'markdown', content: itemLine(item, now) },
    { tag: 'column_set', columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })) },
  ];
}

function section(title: string, list: { total: number; top: WorkCardItem[] }, now: Date, links: CardLinks): Record<string, unknown>[] {
  if (!list.total) return [];
  const more = list.total > list.top.length ? `（另有 ${list.total - list.top.length} 条）` : '';
  return [{ tag: 'markdown', content: `**${title}：${list.total}**${more}` }, ...list.top.flatMap((item) => itemRow(item, now, links)), { tag: 'hr' }];
}

/** Nothing overdue, due today or awaiting review: a manager who chose no daily summary gets no card. */
export function digestHasWork(d: DigestData): boolean {
  return d.overdue.total + d.dueToday.total + d.awaitingReview.total > 0;
}

export function digestCard(d: DigestData, links: CardLinks): Record<string, unknown> {
  const c = d.closure;
  const rank = c.rank === null ? '' : `，${d.store.cityName} ${c.of} 家门店中第 ${c.rank}`;
  const workUrl = `${links.publicUrl.replace(/\/+$/, '')}/?store=${d.store.id}&work=1`;
  return {
    schema: '2.0',
    header: {
      title: { tag: 'plain_text', content: `今日待办 · ${d.store.name}（${d.store.code}）` },
      subtitle: { tag: 'plain_text', content: `超期 ${d.overdue.total} · 今日到期 ${d.dueToday.total} · 待审核 ${d.awaitingReview.total}` },
      template: d.overdue.total ? 'red' : 'blue',
    },
    body: {
      elements: [
        { tag: 'markdown', content: `**本月闭环率** ${pct(c.rate)}（${c.closed}/${c.occurred}），目标 ${pct(c.target)}${rank}` },
        { tag: 'hr' },
        ...section('超期', d.overdue, d.now, links),
        ...section('今日到期', d.dueToday, d.now, links),
        ...section('待审核', d.awaitingReview, d.now, links),
        linkButton('打开我的待办', workUrl, links),
      ],
    },
  };
}

export interface EscalationData {
  incident: WorkCardItem;
  store: { id: number; code: string; name: string };
  overdueMs: number;
  step: number;
  managers: string[];
}

export function escalationCard(e: EscalationData, links: CardLinks, resolved?: string): Record<string, unknown> {
  const lines = [
    itemLine(e.incident, new Date(e.incident.dueAt!.getTime() + e.overdueMs)),
    `**${ZH.store}** ${e.store.name}（${e.store.code}） · **${ZH.storeManager}** ${e.managers.join('、') || '—'}`,
    `**超期** ${humanDuration(e.overdueMs)}（第 ${e.step} 次升级）`,
  ];
  const buttons: Record<string, unknown>[] = resolved
    ? []
    : [callbackButton('提醒店长', { a: 'remind', id: e.incident.id, v: e.incident.version, card: 'escalation' }, 'primary')];
  buttons.push(linkButton('打开', incidentUrl(links.publicUrl, e.incident.id), links));
  return {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: `超期升级 · ${e.store.name} #${e.incident.id}` }, template: resolved ? 'grey' : 'orange' },
    body: {
      elements: [
        { tag: 'markdown', content: lines.join('\n') },
        ...(resolved ? [{ tag: 'markdown', content: resolved }] : []),
        { tag: 'column_set', columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })) },
      ],
    },
  };
}

export interface DraftData {
  id: number;
  version: number;
  storeName: string;
  description: string | null;
  reporterName: string | null;
  occurredAt: Date;
  /** Set once confirmed: the card then says so and has no form. */
  confirmed?: { kind: Kind; category: Category; severity: Severity; by: string };
}

/** The reply to an accident report in a store group: confirm kind, category and severity. */
export function draftCard(d: DraftData, links: CardLinks): Record<string, unknown> {
  const intro = `**事故上报 #${d.id}** · ${d.storeName}${d.reporterName ? ` · 上报人 ${d.reporterName}` : ''}\n${d.description ?? ''}`;
  if (d.confirmed) {
    return {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: `已确认 · #${d.id}` }, template: 'green' },
      body: {
        elements: [
          { tag: 'markdown', content: `${intro}\n**已确认**：${KIND_ZH[d.confirmed.kind]} · ${CATEGORY_ZH[d.confirmed.category]} · ${ZH.severity} ${d.confirmed.severity}（${d.confirmed.by}）` },
          linkButton('打开', incidentUrl(links.publicUrl, d.id), links),
        ],
      },
    };
  }
  const options = (values: readonly (string | number)[], label: (v: string) => string = (v) => v) =>
    values.map((v) => ({ text: { tag: 'plain_text', content: label(String(v)) }, value: String(v) }));
  const categories = [...new Set(KINDS.flatMap((k) => CATEGORIES_BY_KIND[k]))];
  return {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: `请确认事故上报 · #${d.id}` }, template: 'orange' },
    body: {
      elements: [
        { tag: 'markdown', content: intro },
        {
          tag: 'form',
          name: 'draft',
          elements: [
            { tag: 'select_static', name: 'kind', required: true, placeholder: { tag: 'plain_text', content: '类型' }, options: options(KINDS, (k) => KIND_ZH[k as Kind]) },
            { tag: 'select_static', name: 'category', required: true, placeholder: { tag: 'plain_text', content: '类别' }, options: options(categories, (c) => CATEGORY_ZH[c as Category]) },
            { tag: 'select_static', name: 'severity', required: true, placeholder: { tag: 'plain_text', content: ZH.severity }, options: options(SEVERITIES) },
            {
              tag: 'button',
              name: 'confirm',
              text: { tag: 'plain_text', content: '确认' },
              type: 'primary',
              form_action_type: 'submit',
              behaviors: [{ type: 'callback', value: { a: 'confirm_draft', id: d.id, v: d.version, card: 'draft' } satisfies CardActionValue }],
            },
          ],
        },
      ],
    },
  };
}
