import { describe, expect, test } from 'vitest';
import { citiesOf } from '../../../../client/features/admin/lib/cities.js';
import {
  settingsToForm,
  validateKeyName,
  validateSettings,
  validateStore,
  validateTarget,
  validateUser,
} from '../../../../client/features/admin/lib/validation.js';
import type { SettingsForm, StoreForm, TargetForm, UserForm, Validated } from '../../../../client/features/admin/lib/validation.js';

/** The message keys per field of a failed validation ({} when it passed). */
function keys<T>(result: Validated<T>): Record<string, string> {
  if (result.ok) return {};
  return Object.fromEntries(Object.entries(result.errors).map(([f, m]) => [f, 'key' in m ? m.key : m.text]));
}

const USER: UserForm = { id: 'manager-fz-002', name: '王伟', role: 'store_manager', storeIds: [3, 1, 3], feishuOpenId: ' ou_abc123 ' };

describe('user form (bounds of admin.users.save)', () => {
  test('a valid form becomes the input: trimmed, open id or null, store ids unique and sorted', () => {
    expect(validateUser(USER)).toEqual({ ok: true, value: { id: 'manager-fz-002', name: '王伟', role: 'store_manager', storeIds: [1, 3], feishuOpenId: 'ou_abc123' } });
    expect(validateUser({ ...USER, feishuOpenId: '   ' })).toMatchObject({ ok: true, value: { feishuOpenId: null } });
  });

  test.each<[string, Partial<UserForm>, Record<string, string>]>([
    ['empty id and name', { id: ' ', name: '' }, { id: 'v.required', name: 'v.required' }],
    ['id with a space', { id: 'wang wei' }, { id: 'v.userId' }],
    ['id with a slash', { id: 'a/b' }, { id: 'v.userId' }],
    ['id of 101 characters', { id: 'x'.repeat(101) }, { id: 'v.maxLength' }],
    ['id of 100 characters', { id: 'x'.repeat(100) }, {}],
    ['id with . _ @ -', { id: 'wang.wei_01@fz-x' }, {}],
    ['name of 201 characters', { name: '名'.repeat(201) }, { name: 'v.maxLength' }],
    ['open id without ou_', { feishuOpenId: 'on_123' }, { feishuOpenId: 'v.openId' }],
    ['open id with a dash', { feishuOpenId: 'ou_12-3' }, { feishuOpenId: 'v.openId' }],
    ['bare ou_', { feishuOpenId: 'ou_' }, { feishuOpenId: 'v.openId' }],
    ['unknown role', { role: 'owner' as UserForm['role'] }, { role: 'v.required' }],
  ])('%s', (_name, patch, expected) => {
    expect(keys(validateUser({ ...USER, ...patch }))).toEqual(expected);
  });
});

const STORE: StoreForm = { code: 'FZ-009', name: '鼓楼店', cityId: '1', lat: '26.08', lng: '119.29', radiusM: '3000' };

describe('store form (bounds of admin.stores.save)', () => {
  test('a valid form becomes numbers (WGS-84 lat/lng, radius in metres)', () => {
    expect(validateStore(STORE)).toEqual({ ok: true, value: { code: 'FZ-009', name: '鼓楼店', cityId: 1, lat: 26.08, lng: 119.29, radiusM: 3000 } });
  });

  test.each<[string, Partial<StoreForm>, Record<string, string>]>([
    ['radius 99 m', { radiusM: '99' }, { radiusM: 'v.between' }],
    ['radius 100 m', { radiusM: '100' }, {}],
    ['radius 50 000 m', { radiusM: '50000' }, {}],
    ['radius 50 001 m', { radiusM: '50001' }, { radiusM: 'v.between' }],
    ['radius 2500.5 m', { radiusM: '2500.5' }, { radiusM: 'v.integer' }],
    ['radius empty', { radiusM: ' ' }, { radiusM: 'v.required' }],
    ['radius in words', { radiusM: '3km' }, { radiusM: 'v.number' }],
    ['lat 90.0001', { lat: '90.0001' }, { lat: 'v.between' }],
    ['lat -90', { lat: '-90' }, {}],
    ['lng -180.5', { lng: '-180.5' }, { lng: 'v.between' }],
    ['lng Infinity', { lng: 'Infinity' }, { lng: 'v.number' }],
    ['lat NaN', { lat: 'NaN' }, { lat: 'v.number' }],
    ['no city', { cityId: '' }, { cityId: 'v.city' }],
    ['code of 101 characters', { code: 'C'.repeat(101) }, { code: 'v.maxLength' }],
    ['everything empty', { code: '', name: '', cityId: '', lat: '', lng: '', radiusM: '' }, { code: 'v.required', name: 'v.required', cityId: 'v.city', lat: 'v.required', lng: 'v.required', radiusM: 'v.required' }],
  ])('%s', (_name, patch, expected) => {
    expect(keys(validateStore({ ...STORE, ...patch }))).toEqual(expected);
  });

  test('the bound is in the message', () => {
    const r = validateStore({ ...STORE, radiusM: '50' });
    expect(!r.ok && r.errors.radiusM).toEqual({ key: 'v.between', params: { min: 100, max: 50000 } });
  });
});

const SETTINGS: SettingsForm = { slaHours: { 1: '168', 2: '72', 3: '48', 4: '24' }, closureTargetPct: '90', autoViewer: false };

describe('settings form (bounds of admin.settings.save)', () => {
  test('the target percent becomes a fraction; round trip through the form', () => {
    const r = validateSettings(SETTINGS);
    expect(r).toEqual({ ok: true, value: { autoViewer: false, slaHours: { 1: 168, 2: 72, 3: 48, 4: 24 }, closureTarget: 0.9 } });
    if (r.ok) expect(settingsToForm(r.value)).toEqual(SETTINGS);
    expect(settingsToForm({ autoViewer: true, slaHours: { 1: 1, 2: 2, 3: 3, 4: 4 }, closureTarget: 0.875 }).closureTargetPct).toBe('87.5');
  });

  test.each<[string, Partial<SettingsForm>, Record<string, string>]>([
    ['SLA 0 h for severity 4', { slaHours: { ...SETTINGS.slaHours, 4: '0' } }, { 'slaHours.4': 'v.between' }],
    ['SLA 2160 h (90 days)', { slaHours: { ...SETTINGS.slaHours, 1: '2160' } }, {}],
    ['SLA 2161 h', { slaHours: { ...SETTINGS.slaHours, 1: '2161' } }, { 'slaHours.1': 'v.between' }],
    ['SLA 1.5 h', { slaHours: { ...SETTINGS.slaHours, 2: '1.5' } }, { 'slaHours.2': 'v.integer' }],
    ['target 100.1 %', { closureTargetPct: '100.1' }, { closureTarget: 'v.between' }],
    ['target -1 %', { closureTargetPct: '-1' }, { closureTarget: 'v.between' }],
    ['target 0 %', { closureTargetPct: '0' }, {}],
    ['target empty', { closureTargetPct: '' }, { closureTarget: 'v.required' }],
  ])('%s', (_name, patch, expected) => {
    expect(keys(validateSettings({ ...SETTINGS, ...patch }))).toEqual(expected);
  });
});

describe('API key name', () => {
  test.each<[string, Record<string, string>]>([
    ['ai-vision pipeline', {}],
    ['   ', { name: 'v.required' }],
    ['k'.repeat(100), {}],
    ['k'.repeat(101), { name: 'v.maxLength' }],
  ])('%j', (name, expected) => {
    expect(keys(validateKeyName(name))).toEqual(expected);
  });
});

const TARGET: TargetForm = { storeId: '4', channel: 'webhook', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', webhookSecret: '', chatId: 'oc_left_over', enabled: true };

describe('alert target (bounds of alerts.setTarget)', () => {
  test('webhook: URL and secret sent, chat id cleared; no secret is null', () => {
    expect(validateTarget({ ...TARGET, webhookSecret: ' s3cret ' })).toEqual({
      ok: true,
      value: { storeId: 4, channel: 'webhook', webhookUrl: TARGET.webhookUrl, webhookSecret: ' s3cret ', chatId: null, enabled: true },
    });
    expect(validateTarget(TARGET)).toMatchObject({ ok: true, value: { webhookSecret: null } });
  });

  test('app bot: chat id sent, webhook fields cleared', () => {
    expect(validateTarget({ ...TARGET, channel: 'app', chatId: 'oc_a1-b2', enabled: false })).toEqual({
      ok: true,
      value: { storeId: 4, channel: 'app', webhookUrl: null, webhookSecret: null, chatId: 'oc_a1-b2', enabled: false },
    });
  });

  test.each<[string, Partial<TargetForm>, Record<string, string>]>([
    ['no store', { storeId: '' }, { storeId: 'v.required' }],
    ['webhook without URL', { webhookUrl: '' }, { webhookUrl: 'v.required' }],
    ['ftp URL', { webhookUrl: 'ftp://example.com/hook' }, { webhookUrl: 'v.url' }],
    ['javascript: URL', { webhookUrl: 'javascript:alert(1)' }, { webhookUrl: 'v.url' }],
    ['not a URL', { webhookUrl: 'open.feishu.cn/hook' }, { webhookUrl: 'v.url' }],
    ['URL of 501 characters', { webhookUrl: `https://e.com/${'a'.repeat(487)}` }, { webhookUrl: 'v.maxLength' }],
    ['secret of 201 characters', { webhookSecret: 's'.repeat(201) }, { webhookSecret: 'v.maxLength' }],
    ['app without chat id', { channel: 'app', chatId: '' }, { chatId: 'v.required' }],
    ['app with a user open id', { channel: 'app', chatId: 'ou_123' }, { chatId: 'v.chatId' }],
    ['app with a bad URL left over is fine', { channel: 'app', chatId: 'oc_1', webhookUrl: 'nonsense' }, {}],
  ])('%s', (_name, patch, expected) => {
    expect(keys(validateTarget({ ...TARGET, ...patch }))).toEqual(expected);
  });
});

describe('cities of the stores', () => {
  test('one entry per city id, by name', () => {
    const stores = [
      { cityId: 2, city: 'Xiamen' },
      { cityId: 1, city: 'Fuzhou' },
      { cityId: 2, city: 'Xiamen' },
    ];
    expect(citiesOf(stores)).toEqual([
      { id: 1, name: 'Fuzhou' },
      { id: 2, name: 'Xiamen' },
    ]);
    expect(citiesOf([])).toEqual([]);
  });
});
