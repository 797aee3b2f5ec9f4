/**
 * Accident reports from store groups (`im.message.receive_v1`, reference §6). The seed company
 * collected these by hand from chats; here they become data. In a group that is a store's
 * Feishu target (its app-bot chat):
 * - a text that mentions the bot is kept for a while as the report's words;
 * - a location message creates a draft incident of that store (source `feishu_group`, review
 *   pending until someone confirms kind, category and severity on the card the bot replies
 *   with), idempotent by message_id, so a message Feishu delivers twice makes one draft.
 * Coordinates picked in Feishu inside China are GCJ-02 and are converted to WGS-84.
 */
import { dueAt } from '../../domain/incident.js';
import { gcj02ToWgs84 } from '../../ingest/coords.js';
import type { IncidentInput } from '../../store/types.js';
import { draftCard } from '../work-cards.js';
import type { FeishuEventDeps } from './receiver.js';

type Json = Record<string, unknown>;

/** A text with the bot mentioned describes the location message that follows within this time. */
export const REPORT_TEXT_WINDOW_MS = 30 * 60_000;
const DRAFT_SEVERITY = 2;

function metaKey(chatId: string, openId: string): string {
  return `feishu.report-text.${chatId}.${openId}`;
}

function parseContent(message: Json): Json {
  try {
    const value: unknown = JSON.parse(String(message.content ?? '{}'));
    return value && typeof value === 'object' ? (value as Json) : {};
  } catch {
    return {};
  }
}

/** Strips the mention placeholders (`@_user_1`) and control characters from a message text. */
export function reportText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/@_user_\d+/g, '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 2000);
}

export async function handleGroupMessage(deps: FeishuEventDeps, event: Json, now: Date): Promise<void> {
  const message = (event.message ?? {}) as Json;
  const sender = ((event.sender as Json | undefined)?.sender_id ?? {}) as Json;
  const chatId = typeof message.chat_id === 'string' ? message.chat_id : '';
  const messageId = typeof message.message_id === 'string' ? message.message_id : '';
  const openId = typeof sender.open_id === 'string' ? sender.open_id : '';
  if (message.chat_type !== 'group' || !chatId || !messageId) return;
  const storeId = await deps.store.workLoop.storeIdByChat(chatId);
  if (storeId === null) return deps.log(`feishu: a message in chat ${chatId}, which is no store's group; ignored`);
  const content = parseContent(message);

  if (message.message_type === 'text') {
    const mentioned = Array.isArray(message.mentions) && message.mentions.length > 0;
    const text = reportText(String(content.text ?? ''));
    if (mentioned && text && openId) await deps.store.setMeta(metaKey(chatId, openId), JSON.stringify({ text, at: now.getTime() }));
    return;
  }
  if (message.message_type !== 'location') return;

  const lng = Number(content.longitude);
  const lat = Number(content.latitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return deps.log(`feishu: location message ${messageId} without usable coordinates; ignored`);
  }
  const shop = (await deps.store.listStores({ all: true })).find((s) => s.id === storeId);
  if (!shop) return;
  const [wgsLng, wgsLat] = gcj02ToWgs84([lng, lat]);
  const created = Number(message.create_time);
  const occurredAt = Number.isFinite(created) && created > 0 ? new Date(created) : now;
  // the reporter's words: a text mentioning the bot shortly before, else the place's name
  const saved = openId ? await deps.store.getMeta(metaKey(chatId, openId)) : null;
  const pending = saved ? (JSON.parse(saved) as { text: string; at: number }) : null;
  const words = pending && occurredAt.getTime() - pending.at <= REPORT_TEXT_WINDOW_MS ? pending.text : null;
  const place = reportText(String(content.name ?? ''));
  const reporter = openId ? ((await deps.store.security.userIdByFeishuOpenId(openId)) ?? `feishu:${openId}`) : 'feishu';
  const settings = await deps.store.security.settings();
  const draft: IncidentInput = {
    kind: 'accident',
    category: 'other',
    severity: DRAFT_SEVERITY,
    occurredAt,
    lat: wgsLat,
    lng: wgsLng,
    cityId: shop.cityId,
    storeId: shop.id,
    riderId: null,
    description: [words, place && `位置：${place}`].filter(Boolean).join('\n') || null,
    photoUrls: [],
    source: 'feishu_group',
    externalId: messageId,
    aiLabel: null,
    aiConfidence: null,
    review: 'pending',
    status: 'open',
    assignee: null,
    dueAt: dueAt(occurredAt, DRAFT_SEVERITY, settings.slaHours),
    closedAt: null,
    resolution: null,
    events: [{ at: occurredAt, actor: reporter, fromStatus: null, toStatus: 'open', note: '在门店群上报' }],
  };
  const writer = await deps.store.openIncidentWriter();
  let inserted = 0;
  try {
    await writer.write([draft]);
    inserted = (await writer.commit()).inserted;
  } catch (error) {
    await writer.rollback();
    throw error;
  }
  if (!inserted) return; // delivered before: the draft exists, and so does its card
  if (pending && openId) await deps.store.setMeta(metaKey(chatId, openId), JSON.stringify({ text: '', at: 0 }));
  const incident = (await deps.store.incidentBySourceKey('feishu_group', messageId, { all: true }))!;
  const reporterName = (await deps.store.getUser(reporter))?.name ?? null;
  const card = draftCard({ id: incident.id, version: incident.version, storeName: shop.name, description: incident.description, reporterName, occurredAt }, deps.links);
  await deps.store.workLoop.enqueue([{ storeId: shop.id, dedupeKey: `draft-${messageId}`.slice(0, 120), payload: card, receiver: { type: 'reply', id: messageId } }], now);
}
