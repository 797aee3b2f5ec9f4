/**
 * Form validation with the server's bounds (server/routers/admin.ts and alerts.ts), so most
 * mistakes are named before a round trip. Forms hold text; these turn it into the procedures'
 * inputs or name the fields that are wrong. Messages are keys of the feature's strings, so the
 * same checks speak Chinese and English. Pure: no React, no tRPC.
 */
import { ADMIN_LIMITS, CHAT_ID_PATTERN, OPEN_ID_PATTERN, USER_ID_PATTERN } from '../../../../server/domain/admin-limits.js';
import { ROLES } from '../../../../server/domain/incident.js';
import type { Role, Severity } from '../../../../server/domain/incident.js';
import type { AdminKey } from '../strings.js';

// the server's own vocabularies (server/domain/incident.ts), not copies
export { ROLES, SEVERITIES } from '../../../../server/domain/incident.js';
export type { Role, Severity } from '../../../../server/domain/incident.js';

export type FieldMessage = { key: AdminKey; params?: Record<string, string | number> } | { text: string };
export type FieldErrors = Record<string, FieldMessage>;
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Bounds of the server's schemas, the very object its routers read; units in the names. */
export const LIMITS = ADMIN_LIMITS;

const USER_ID = USER_ID_PATTERN;
const OPEN_ID = OPEN_ID_PATTERN;
const CHAT_ID = CHAT_ID_PATTERN;

class Checker {
  readonly errors: FieldErrors = {};
  fail(field: string, message: FieldMessage): void {
    this.errors[field] ??= message;
  }
  /** Trimmed text, 1..max characters (0..max when optional; empty gives null). */
  text(field: string, raw: string, max: number, optional = false): string | null {
    const value = raw.trim();
    if (!value) {
      if (!optional) this.fail(field, { key: 'v.required' });
      return null;
    }
    if (value.length > max) this.fail(field, { key: 'v.maxLength', params: { max } });
    return value;
  }
  /** A number in [min, max] from text; whole when `integer`. */
  number(field: string, raw: string, min: number, max: number, integer = false): number {
    const text = raw.trim();
    if (!text) {
      this.fail(field, { key: 'v.required' });
      return NaN;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) this.fail(field, { key: 'v.number' });
    else if (integer && !Number.isInteger(value)) this.fail(field, { key: 'v.integer' });
    else if (value < min || value > max) this.fail(field, { key: 'v.between', params: { min, max } });
    return value;
  }
  result<T>(value: T): Validated<T> {
    return Object.keys(this.errors).length ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

export interface UserForm {
  id: string;
  name: string;
  role: Role;
  storeIds: number[];
  feishuOpenId: string;
}

export interface UserInput {
  id: string;
  name: string;
  role: Role;
  storeIds: number[];
  feishuOpenId: string | null;
}

export function validateUser(form: UserForm): Validated<UserInput> {
  const c = new Checker();
  const id = c.text('id', form.id, LIMITS.userIdMax);
  if (id && !USER_ID.test(id)) c.fail('id', { key: 'v.userId' });
  const name = c.text('name', form.name, LIMITS.userNameMax);
  if (!ROLES.includes(form.role)) c.fail('role', { key: 'v.required' });
  const openId = c.text('feishuOpenId', form.feishuOpenId, LIMITS.openIdMax, true);
  if (openId && !OPEN_ID.test(openId)) c.fail('feishuOpenId', { key: 'v.openId' });
  return c.result({ id: id ?? '', name: name ?? '', role: form.role, storeIds: [...new Set(form.storeIds)].sort((a, b) => a - b), feishuOpenId: openId });
}

export interface StoreForm {
  code: string;
  name: string;
  /** A city id as text ('' until one is chosen). */
  cityId: string;
  lat: string;
  lng: string;
  radiusM: string;
}

export interface StoreInput {
  code: string;
  name: string;
  cityId: number;
  lat: number;
  lng: number;
  /** Delivery radius in metres. */
  radiusM: number;
}

export function validateStore(form: StoreForm): Validated<StoreInput> {
  const c = new Checker();
  const code = c.text('code', form.code, LIMITS.storeCodeMax);
  const name = c.text('name', form.name, LIMITS.storeNameMax);
  const cityId = Number(form.cityId);
  if (!form.cityId || !Number.isInteger(cityId) || cityId < 1) c.fail('cityId', { key: 'v.city' });
  const lat = c.number('lat', form.lat, -90, 90);
  const lng = c.number('lng', form.lng, -180, 180);
  const radiusM = c.number('radiusM', form.radiusM, LIMITS.radiusMinM, LIMITS.radiusMaxM, true);
  return c.result({ code: code ?? '', name: name ?? '', cityId, lat, lng, radiusM });
}

export interface SettingsForm {
  slaHours: Record<Severity, string>;
  /** Percent, 0..100 (the server keeps a fraction). */
  closureTargetPct: string;
  autoViewer: boolean;
}

export interface SettingsInput {
  autoViewer: boolean;
  slaHours: Record<Severity, number>;
  /** Fraction 0..1. */
  closureTarget: number;
}

export function validateSettings(form: SettingsForm): Validated<SettingsInput> {
  const c = new Checker();
  const slaHours = {
    1: c.number('slaHours.1', form.slaHours[1], LIMITS.slaMinHours, LIMITS.slaMaxHours, true),
    2: c.number('slaHours.2', form.slaHours[2], LIMITS.slaMinHours, LIMITS.slaMaxHours, true),
    3: c.number('slaHours.3', form.slaHours[3], LIMITS.slaMinHours, LIMITS.slaMaxHours, true),
    4: c.number('slaHours.4', form.slaHours[4], LIMITS.slaMinHours, LIMITS.slaMaxHours, true),
  };
  const pct = c.number('closureTarget', form.closureTargetPct, 0, 100);
  return c.result({ autoViewer: form.autoViewer, slaHours, closureTarget: Math.round(pct * 10) / 1000 });
}

/** The settings as the form shows them: the target as a percent with at most one decimal. */
export function settingsToForm(s: SettingsInput): SettingsForm {
  return {
    slaHours: { 1: String(s.slaHours[1]), 2: String(s.slaHours[2]), 3: String(s.slaHours[3]), 4: String(s.slaHours[4]) },
    closureTargetPct: String(Math.round(s.closureTarget * 1000) / 10),
    autoViewer: s.autoViewer,
  };
}

export function validateKeyName(raw: string): Validated<{ name: string }> {
  const c = new Checker();
  const name = c.text('name', raw, LIMITS.keyNameMax);
  return c.result({ name: name ?? '' });
}

export type Channel = 'webhook' | 'app';

export interface TargetForm {
  storeId: string;
  channel: Channel;
  webhookUrl: string;
  webhookSecret: string;
  chatId: string;
  enabled: boolean;
}

export interface TargetInput {
  storeId: number;
  channel: Channel;
  /** Absent: keep the stored one (the form never shows it). */
  webhookUrl?: string | null;
  webhookSecret?: string | null;
  chatId: string | null;
  enabled: boolean;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the server says of a store's current target (never its URL or secret). */
export interface CurrentTarget {
  channel: Channel;
  hasSecret: boolean;
}

/**
 * Only the chosen channel's fields are sent; the other's are cleared. With a current webhook
 * target, an empty URL or secret field keeps the stored one (it is not shown).
 */
export function validateTarget(form: TargetForm, current: CurrentTarget | null = null): Validated<TargetInput> {
  const c = new Checker();
  const storeId = Number(form.storeId);
  if (!form.storeId || !Number.isInteger(storeId) || storeId < 1) c.fail('storeId', { key: 'v.required' });
  let webhookUrl: string | null = null;
  let webhookSecret: string | null = null;
  let chatId: string | null = null;
  if (form.channel === 'webhook') {
    webhookUrl = c.text('webhookUrl', form.webhookUrl, LIMITS.webhookUrlMax, current?.channel === 'webhook');
    if (webhookUrl && !isHttpUrl(webhookUrl)) c.fail('webhookUrl', { key: 'v.url' });
    // The secret is sent as typed: it is compared byte for byte when Feishu checks the signature.
    webhookSecret = form.webhookSecret === '' ? null : form.webhookSecret;
    if (webhookSecret && webhookSecret.length > LIMITS.webhookSecretMax) c.fail('webhookSecret', { key: 'v.maxLength', params: { max: LIMITS.webhookSecretMax } });
  } else {
    chatId = c.text('chatId', form.chatId, 101);
    if (chatId && !CHAT_ID.test(chatId)) c.fail('chatId', { key: 'v.chatId' });
  }
  const keep = form.channel === 'webhook' && current?.channel === 'webhook';
  if (keep && form.webhookUrl.trim() === '') {
    const { webhookUrl: _url, webhookSecret: _secret, ...rest } = { storeId, channel: form.channel, webhookUrl, webhookSecret, chatId, enabled: form.enabled };
    return c.result(form.webhookSecret === '' ? rest : { ...rest, webhookSecret });
  }
  if (keep && form.webhookSecret === '' && current.hasSecret) {
    return c.result({ storeId, channel: form.channel, webhookUrl, chatId, enabled: form.enabled });
  }
  return c.result({ storeId, channel: form.channel, webhookUrl, webhookSecret, chatId, enabled: form.enabled });
}
