/**
 * `card.action.trigger`: a button pressed on one of our cards (reference §6). The operator's
 * open id is mapped to the Hexwatch user, and the action runs through the same workflow rules,
 * store scope and optimistic lock as the app. The answer (within Feishu's 3 s) is a toast and the
 * card as it stands now: a stale card ("already closed by Li at 09:12") changes nothing.
 */
import { z } from 'zod';
import { WorkflowError } from '../../domain/closure.js';
import { CATEGORIES_BY_KIND, dueAt, KINDS } from '../../domain/incident.js';
import type { Category, Severity } from '../../domain/incident.js';
import { STATUS_ZH } from '../../domain/glossary.js';
import { scopeForUser } from '../../store/scope.js';
import type { User } from '../../store/types.js';
import { digestFor } from '../../jobs/work-loop.js';
import { digestCard, draftCard, escalationCard, incidentUrl } from '../work-cards.js';
import type { FeishuEventDeps } from './receiver.js';

export interface CallbackAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

const ActionValue = z
  .object({
    a: z.enum(['assign', 'start', 'remind', 'confirm_draft']),
    id: z.number().int().positive(),
    v: z.number().int().min(1),
    card: z.enum(['digest', 'escalation', 'draft']),
  })
  .strict();

const DraftForm = z.object({
  kind: z.enum(KINDS),
  category: z.string().max(40),
  severity: z.coerce.number().int().min(1).max(4),
});


type Json = Record<string, unknown>;

function error(content: string): CallbackAnswer {
  return { toast: { type: 'error', content } };
}

function hhmm(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

export async function handleCardAction(deps: FeishuEventDeps, event: Json, now: Date): Promise<CallbackAnswer> {
  const operator = (event.operator ?? {}) as Json;
  const action = (event.action ?? {}) as Json;
  const parsed = ActionValue.safeParse(action.value);
  if (!parsed.success) return error('这张卡片的按钮已失效，请在 Hexwatch 中操作。');
  const value = parsed.data;
  const openId = typeof operator.open_id === 'string' ? operator.open_id : '';
  const userId = openId ? await deps.store.security.userIdByFeishuOpenId(openId) : null;
  const user = userId ? await deps.store.getUser(userId) : null;
  if (!user) return error('你还不是 Hexwatch 用户：请联系管理员添加你的飞书账号。');
  const scope = scopeForUser(user);
  const found = await deps.store.incidentById(value.id, scope);
  if (!found) return error(`没有找到事件 #${value.id}，或你无权处理它。`);
  const actor = { id: user.id, role: user.role, storeIds: user.storeIds };
  const settings = await deps.store.security.settings();
  let toast: CallbackAnswer['toast'];
  try {
    switch (value.a) {
      case 'assign':
        await deps.store.workflow.transition({ id: value.id, to: 'assigned', expectedVersion: value.v, assigneeId: user.id }, actor, now, settings.slaHours);
        toast = { type: 'success', content: `#${value.id} 已分派给你` };
        break;
      case 'start':
        await deps.store.workflow.transition({ id: value.id, to: 'in_progress', expectedVersion: value.v }, actor, now, settings.slaHours);
        toast = { type: 'success', content: `#${value.id} 已开始处理` };
        break;
      case 'remind':
        toast = await remindManagers(deps, found.incident, user, now);
        break;
      case 'confirm_draft':
        toast = await confirmDraft(deps, value.id, value.v, action.form_value, user, now, settings.slaHours);
        break;
    }
  } catch (e) {
    if (!(e instanceof WorkflowError)) throw e;
    toast = e.code === 'CONFLICT' ? await staleToast(deps, value.id, user) : { type: 'error', content: e.message };
  }
  const card = await currentCard(deps, value, user, now);
  return card ? { toast, card: { type: 'raw', data: card } } : { toast };
}

/** "Already closed by Li at 09:12": who moved the incident on, from its timeline. */
async function staleToast(deps: FeishuEventDeps, id: number, user: User): Promise<CallbackAnswer['toast']> {
  const now = await deps.store.incidentById(id, scopeForUser(user));
  if (!now) return { type: 'warning', content: `#${id} 已不在你的范围内` };
  const last = [...now.events].reverse().find((e) => e.fromStatus !== e.toStatus) ?? now.events.at(-1);
  const tz = (await deps.store.listCities()).find((c) => c.id === now.incident.cityId)?.tz ?? 'Asia/Shanghai';
  const who = last ? ((await deps.store.getUser(last.actor))?.name ?? last.actor) : '其他人';
  const at = last ? hhmm(last.at, tz) : '';
  return { type: 'warning', content: `#${id} 已被${who}于 ${at} 改为${STATUS_ZH[now.incident.status]}，卡片已更新` };
}

async function remindManagers(deps: FeishuEventDeps, incident: { id: number; storeId: number | null; dueAt: Date | null }, by: User, now: Date): Promise<CallbackAnswer['toast']> {
  if (incident.storeId === null) return { type: 'error', content: '这个事件没有门店' };
  const managers = (await deps.store.listUsers()).filter((u) => u.role === 'store_manager' && u.storeIds.includes(incident.storeId!) && u.feishuOpenId);
  if (!managers.length) return { type: 'warning', content: '这家门店的店长还没有绑定飞书账号' };
  const hour = now.toISOString().slice(0, 13); // at most one reminder per hour from the same analyst
  const card = {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: `提醒 · 事件 #${incident.id} 已超期` }, template: 'orange' },
    body: {
      elements: [
        { tag: 'markdown', content: `${by.name} 提醒你处理超期事件 #${incident.id}。` },
        { tag: 'button', text: { tag: 'plain_text', content: '打开' }, type: 'primary', behaviors: [{ type: 'open_url', default_url: incidentUrl(deps.links.publicUrl, incident.id) }] },
      ],
    },
  };
  await deps.store.workLoop.enqueue(
    managers.map((m) => ({ storeId: incident.storeId!, dedupeKey: `remind-${incident.id}-${by.id}-${m.id}-${hour}`.slice(0, 120), payload: card, receiver: { type: 'open_id' as const, id: m.feishuOpenId! } })),
    now,
  );
  return { type: 'success', content: `已提醒店长 ${managers.map((m) => m.name).join('、')}` };
}

async function confirmDraft(
  deps: FeishuEventDeps,
  id: number,
  version: number,
  form: unknown,
  user: User,
  now: Date,
  slaHours: Record<Severity, number>,
): Promise<CallbackAnswer['toast']> {
  if (user.role === 'viewer') return { type: 'error', content: '查看者不能确认上报' };
  const parsed = DraftForm.safeParse(form);
  if (!parsed.success) return { type: 'error', content: '请选择类型、类别和严重程度' };
  const { kind, category, severity } = parsed.data;
  if (!(CATEGORIES_BY_KIND[kind] as readonly string[]).includes(category)) return { type: 'error', content: `类别 ${category} 不属于${kind === 'accident' ? '事故' : '骑行例外'}` };
  const incident = (await deps.store.incidentById(id, scopeForUser(user)))!.incident;
  const confirmed = await deps.store.workLoop.confirmDraft(
    id,
    version,
    { kind: kind, category: category as Category, severity: severity as Severity, dueAt: dueAt(incident.occurredAt, severity as Severity, slaHours) },
    user.id,
    now,
  );
  if (!confirmed) throw new WorkflowError('CONFLICT', 'expectedVersion', 'the draft was confirmed or changed meanwhile', { status: incident.status, version: incident.version });
  return { type: 'success', content: `#${id} 已确认，进入处理流程` };
}

/** The card the button was on, as it stands now. */
async function currentCard(deps: FeishuEventDeps, value: z.infer<typeof ActionValue>, user: User, now: Date): Promise<Json | null> {
  const found = await deps.store.incidentById(value.id, scopeForUser(user));
  if (!found) return null;
  const { incident } = found;
  const shop = incident.storeId === null ? null : (await deps.store.listStores({ all: true })).find((s) => s.id === incident.storeId) ?? null;
  if (!shop) return null;
  if (value.card === 'digest') {
    if (user.role !== 'store_manager') return null;
    return digestCard(await digestFor(deps.store, user, shop, now), deps.links);
  }
  if (value.card === 'escalation') {
    const users = await deps.store.listUsers();
    const managers = users.filter((u) => u.role === 'store_manager' && u.storeIds.includes(shop.id)).map((u) => u.name);
    const item = { id: incident.id, version: incident.version, kind: incident.kind, category: incident.category, severity: incident.severity, status: incident.status, dueAt: incident.dueAt, occurredAt: incident.occurredAt };
    const overdueMs = incident.dueAt ? Math.max(0, now.getTime() - incident.dueAt.getTime()) : 0;
    const stepMs = (await deps.store.security.settings()).workLoop.escalateAfterHours * 3_600_000;
    const resolved = incident.status === 'closed' || incident.status === 'dismissed' ? `当前状态：${STATUS_ZH[incident.status]}` : undefined;
    return escalationCard({ incident: item, store: shop, overdueMs, step: Math.max(1, Math.floor(overdueMs / stepMs)), managers }, deps.links, resolved);
  }
  const confirmed = incident.review === 'confirmed' ? { kind: incident.kind, category: incident.category, severity: incident.severity, by: user.name } : undefined;
  const reporter = found.events[0]?.actor ?? null;
  const reporterName = reporter ? ((await deps.store.getUser(reporter))?.name ?? null) : null;
  return draftCard({ id: incident.id, version: incident.version, storeName: shop.name, description: incident.description, reporterName, occurredAt: incident.occurredAt, confirmed }, deps.links);
}

