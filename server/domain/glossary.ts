/**
 * One vocabulary (issue 19). Each concept a person meets has one word per language, here; the
 * app's strings, the charts, the legend, the alerts and the Feishu cards take it from this
 * module (client/i18n, client/features/* strings, server/feishu cards), and a test fails on a
 * word in `ZH_VARIANTS` anywhere in the Chinese UI. Pure: imported by the client and the server.
 *
 * The words: 门店 and 店长, the seed company's own; 已撤销 for a dismissed incident and 误报 for a
 * rejected AI detection, so that "rejected" never means two things; ArcGIS Pro's Chinese names
 * for the emerging hot-spot classes (新热点, 加强的热点...).
 */
import type { EmergingClass } from './hotspots/emerging.js';
import type { RejectReason } from './closure.js';
import type { Category, Kind, Resolution, ReviewState, Status } from './incident.js';

export const ZH = {
  store: '门店',
  storeManager: '店长',
  severity: '严重程度',
  dismissed: '已撤销',
  closed: '已闭环',
  aiRejected: '误报',
  aiConfirmed: '已确认',
  aiPending: '待审核',
} as const;

export const EN = {
  store: 'store',
  storeManager: 'store manager',
  severity: 'severity',
  dismissed: 'dismissed',
  closed: 'closed',
  aiRejected: 'false alarm',
  aiConfirmed: 'confirmed',
  aiPending: 'awaiting review',
} as const;

export const KIND_ZH: Record<Kind, string> = { accident: '事故', exception: '骑行例外' };

export const STATUS_ZH: Record<Status, string> = {
  open: '待处理',
  assigned: '已分派',
  in_progress: '处理中',
  closed: ZH.closed,
  dismissed: ZH.dismissed,
};

export const REVIEW_ZH: Record<ReviewState, string> = { pending: ZH.aiPending, confirmed: ZH.aiConfirmed, rejected: ZH.aiRejected };

export const CATEGORY_ZH: Record<Category, string> = {
  vehicle_collision: '机动车碰撞',
  non_motor_collision: '非机动车碰撞',
  pedestrian_collision: '碰撞行人',
  single_vehicle_fall: '单车摔倒',
  property_damage: '财产损失',
  wrong_way: '逆行',
  red_light: '闯红灯',
  no_helmet: '未戴头盔',
  phone_while_riding: '骑行看手机',
  speeding: '超速',
  sidewalk_riding: '人行道骑行',
  carrying_passenger: '违规载人',
  other: '其他',
};

export const RESOLUTION_ZH: Record<Resolution, string> = {
  rider_coached: '已教育骑手',
  rider_penalized: '已处罚骑手',
  route_changed: '已调整路线',
  facility_fixed: '设施已修复',
  insurance_claim: '保险理赔',
  no_action_needed: '无需处理',
  other: '其他',
};

/** The quick reasons to reject an AI detection (closure.ts `REJECT_REASONS`). */
export const REJECT_REASON_ZH: Record<RejectReason, string> = { false_detection: '误检', unclear_image: '图片不清', not_rider: '非骑手', other: '其他' };
export const REJECT_REASON_EN: Record<RejectReason, string> = { false_detection: 'wrong detection', unclear_image: 'photo unclear', not_rider: 'not a rider', other: 'other' };

/** ArcGIS Pro's Chinese names for the emerging hot-spot analysis's classes. */
export const EMERGING_ZH: Record<EmergingClass, string> = {
  new_hot: '新热点',
  consecutive_hot: '连续热点',
  intensifying_hot: '加强的热点',
  persistent_hot: '持续热点',
  diminishing_hot: '减弱的热点',
  sporadic_hot: '分散的热点',
  oscillating_hot: '振荡的热点',
  historical_hot: '历史热点',
  new_cold: '新冷点',
  consecutive_cold: '连续冷点',
  intensifying_cold: '加强的冷点',
  persistent_cold: '持续冷点',
  diminishing_cold: '减弱的冷点',
  sporadic_cold: '分散的冷点',
  oscillating_cold: '振荡的冷点',
  historical_cold: '历史冷点',
  no_pattern: '无模式',
};

/** What each emerging class means, in one sentence a store manager can read. */
export const EMERGING_MEANING_ZH: Record<EmergingClass, string> = {
  new_hot: '最近一周首次成为热点。',
  new_cold: '最近一周首次成为冷点。',
  consecutive_hot: '最近连续数周都是热点，且是第一次。',
  consecutive_cold: '最近连续数周都是冷点，且是第一次。',
  intensifying_hot: '至少 90% 的周都是热点，而且越来越强。',
  intensifying_cold: '至少 90% 的周都是冷点，而且越来越强。',
  persistent_hot: '至少 90% 的周都是热点，没有明显趋势。',
  persistent_cold: '至少 90% 的周都是冷点，没有明显趋势。',
  diminishing_hot: '至少 90% 的周都是热点，但在减弱。',
  diminishing_cold: '至少 90% 的周都是冷点，但在减弱。',
  sporadic_hot: '最近一周是热点，之前时有时无（从未是冷点）。',
  sporadic_cold: '最近一周是冷点，之前时有时无（从未是热点）。',
  oscillating_hot: '最近一周是热点，之前曾是冷点。',
  oscillating_cold: '最近一周是冷点，之前曾是热点。',
  historical_hot: '曾在至少 90% 的周是热点，但最近一周不是。',
  historical_cold: '曾在至少 90% 的周是冷点，但最近一周不是。',
  no_pattern: '没有热点或冷点模式。',
};

/** Words the UI used for a concept above; each names the glossary word to use instead. */
export const ZH_VARIANTS: ReadonlyArray<{ word: string; use: string }> = [
  { word: '前置仓', use: ZH.store },
  { word: '门店负责人', use: ZH.storeManager },
  { word: '严重度', use: ZH.severity },
  { word: '已驳回', use: `${ZH.dismissed} (incident) or ${ZH.aiRejected} (AI detection)` },
  { word: '驳回识别', use: ZH.aiRejected },
  { word: '增强热点', use: EMERGING_ZH.intensifying_hot },
  { word: '加剧热点', use: EMERGING_ZH.intensifying_hot },
  { word: '新增热点', use: EMERGING_ZH.new_hot },
  { word: '零星热点', use: EMERGING_ZH.sporadic_hot },
];

/**
 * Latin-letter runs allowed in the Chinese UI: proper names and symbols a Chinese user reads as
 * such (statistics' z and q, Gi*, file formats, H3, the app's name).
 */
export const ZH_LATIN_ALLOWED: ReadonlySet<string> = new Set([
  'Hexwatch', 'AI', 'API', 'CSV', 'GeoJSON', 'H3', 'Gi', 'Mann', 'Kendall', 'z', 'q', 'p', 'ID', 'URL', 'HTTPS', 'OpenStreetMap',
  'PMTiles', 'MapLibre', 'km', 'm', 'KB', 'MB', 'English', 'Webhook', 'App', 'Bot', 'OAuth', 'ou', 'oc', 'FDR', 'Getis', 'Ord', 'gz',
  // technical words admins meet: WGS-84, SLA, H3 (read as H), 3D (as D), an open id, http(s)
  'WGS', 'SLA', 'IANA', 'H', 'D', 'id', 'open', 'http', 's',
  // the map's attribution: its software and data sources
  'deck', 'gl', 'Natural', 'Earth', 'contributors',
]);

/** Latin-letter runs in `text` that are not allowed proper names (empty: the text reads as Chinese). */
export function latinRunsOutsideGlossary(text: string): string[] {
  // code is not prose: `npm run ...` spans, environment variables (AUTH_MODE=dev, FEISHU_APP_ID)
  const prose = text.replace(/`[^`]*`/g, ' ').replace(/\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+(=\w+)?/g, ' ');
  return (prose.match(/[A-Za-z]+/g) ?? []).filter((run) => !ZH_LATIN_ALLOWED.has(run));
}

/** The variants (words to replace) that `text` uses. */
export function zhVariantsIn(text: string): string[] {
  return ZH_VARIANTS.filter((v) => text.includes(v.word)).map((v) => v.word);
}
