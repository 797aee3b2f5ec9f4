/**
 * The alerts feature's strings in English and Simplified Chinese, keyed by the language of the
 * app's `useLang()` (the app's i18n has no way to register a feature's strings).
 */
import { fillPlaceholders, useTableT } from '../../i18n/i18n.js';
import type { Lang } from '../../i18n/i18n.js';
import { EMERGING_ZH } from '../../../server/domain/glossary.js';

const en = {
  'alerts.title': 'Hot-spot alerts',
  'alerts.unacked': 'Unacknowledged',
  'alerts.all': 'All',
  'alerts.show': 'Show',
  'alerts.empty': 'No alerts. A scan raises one when a place near a store becomes a new, consecutive or intensifying hot spot.',
  'alerts.emptyUnacked': 'Every alert is acknowledged.',
  'alerts.error': 'Could not load the alerts: {message}',
  'alerts.ackError': 'Could not acknowledge: {message}',
  'alerts.more': 'Show more',
  'alerts.ack': 'Acknowledge',
  'alerts.acked': 'Acknowledged by {who}, {when}',
  'alerts.openMap': 'Show on map',
  'alerts.counts': '{week} in the latest week · {total} in {weeks} weeks',
  'alerts.strength.much': 'Far more than the area around it',
  'alerts.strength.clear': 'Clearly more than the area around it',
  'alerts.strength.some': 'Somewhat more than the area around it',
  'alerts.run': 'hot spot {weeks} weeks in a row',
  'alerts.runOne': 'hot spot in the latest week',
  'alerts.stores': 'Stores around it: {stores}',
  'alerts.storeGroup': '{store} · {count} places',
  'alerts.ackAll': 'Acknowledge all ({count})',
  'alerts.badge': '{count} alerts to acknowledge',
  'alerts.raised': 'Raised {when} · week of {week}',
  'class.new_hot': EMERGING_ZH.new_hot,
  'class.consecutive_hot': EMERGING_ZH.consecutive_hot,
  'class.intensifying_hot': EMERGING_ZH.intensifying_hot,
  'class.persistent_hot': EMERGING_ZH.persistent_hot,
  'class.diminishing_hot': EMERGING_ZH.diminishing_hot,
  'class.sporadic_hot': EMERGING_ZH.sporadic_hot,
  'class.oscillating_hot': EMERGING_ZH.oscillating_hot,
  'class.historical_hot': EMERGING_ZH.historical_hot,
  'meaning.new_hot': 'A hot spot in the latest week for the first time.',
  'meaning.consecutive_hot': 'A hot spot for the last weeks in a row, for the first time.',
  'meaning.intensifying_hot': 'A hot spot in most weeks, getting stronger.',
  'meaning.persistent_hot': 'A hot spot in most weeks, without a trend.',
  'meaning.diminishing_hot': 'A hot spot in most weeks, getting weaker.',
  'meaning.sporadic_hot': 'A hot spot in the latest week, on and off before.',
  'meaning.oscillating_hot': 'A hot spot in the latest week that was a cold spot before.',
  'meaning.historical_hot': 'Was a hot spot in most weeks, but not in the latest.',
} as const;

export type AlertsKey = keyof typeof en;

const zh: Record<AlertsKey, string> = {
  'alerts.title': '热点预警',
  'alerts.unacked': '未确认',
  'alerts.all': '全部',
  'alerts.show': '显示',
  'alerts.empty': '暂无预警。门店周边出现新热点、连续热点或加强的热点时，扫描会生成预警。',
  'alerts.emptyUnacked': '所有预警均已确认。',
  'alerts.error': '无法加载预警：{message}',
  'alerts.ackError': '确认失败：{message}',
  'alerts.more': '显示更多',
  'alerts.ack': '确认',
  'alerts.acked': '{who} 已于 {when} 确认',
  'alerts.openMap': '在地图上查看',
  'alerts.counts': '最近一周 {week} 起 · 近 {weeks} 周共 {total} 起',
  'alerts.strength.much': '比周边高出很多',
  'alerts.strength.clear': '明显高于周边',
  'alerts.strength.some': '略高于周边',
  'alerts.run': '连续 {weeks} 周热点',
  'alerts.runOne': '最近一周成为热点',
  'alerts.stores': '周边门店：{stores}',
  'alerts.storeGroup': '{store} · {count} 处',
  'alerts.ackAll': '全部确认（{count}）',
  'alerts.badge': '{count} 条预警待确认',
  'alerts.raised': '{when} 生成 · {week} 当周',
  'class.new_hot': EMERGING_ZH.new_hot,
  'class.consecutive_hot': EMERGING_ZH.consecutive_hot,
  'class.intensifying_hot': EMERGING_ZH.intensifying_hot,
  'class.persistent_hot': EMERGING_ZH.persistent_hot,
  'class.diminishing_hot': EMERGING_ZH.diminishing_hot,
  'class.sporadic_hot': EMERGING_ZH.sporadic_hot,
  'class.oscillating_hot': EMERGING_ZH.oscillating_hot,
  'class.historical_hot': EMERGING_ZH.historical_hot,
  'meaning.new_hot': '最近一周首次成为热点。',
  'meaning.consecutive_hot': '最近连续几周都是热点，且此前从未是热点。',
  'meaning.intensifying_hot': '大多数周都是热点，且越来越强。',
  'meaning.persistent_hot': '大多数周都是热点，没有明显趋势。',
  'meaning.diminishing_hot': '大多数周都是热点，但在减弱。',
  'meaning.sporadic_hot': '最近一周是热点，此前时有时无。',
  'meaning.oscillating_hot': '最近一周是热点，此前曾是冷点。',
  'meaning.historical_hot': '曾在大多数周是热点，但最近一周不是。',
};

export const TABLES: Record<Lang, Record<AlertsKey, string>> = { en, zh };

export type AlertsTranslate = (key: AlertsKey, params?: Record<string, string | number>) => string;

export function alertsText(lang: Lang, key: AlertsKey, params?: Record<string, string | number>): string {
  return fillPlaceholders(TABLES[lang][key], params);
}

/** Whether a class has words of its own here (the server's English meaning is the fallback). */
export function isKnownClass(cls: string): cls is 'new_hot' | 'consecutive_hot' | 'intensifying_hot' | 'persistent_hot' | 'diminishing_hot' | 'sporadic_hot' | 'oscillating_hot' | 'historical_hot' {
  return `class.${cls}` in en;
}

/** `t` for this feature's strings, in the app's current language. */
export function useAlertsT(): AlertsTranslate {
  return useTableT(TABLES);
}
