/** The live feature's strings in English and Simplified Chinese (a local table, as stats does). */
import { useTableT } from '../../i18n/i18n.js';
import type { Lang } from '../../i18n/i18n.js';

const en = {
  'live.new': '{count} new since {time}',
  'live.viewed': 'Mark as seen',
  'live.on': 'Live: screens follow new incidents and closures',
  'live.off': 'Live updates paused or reconnecting',
} as const;

export type LiveKey = keyof typeof en;

const zh: Record<LiveKey, string> = {
  'live.new': '{time} 以来新增 {count} 起',
  'live.viewed': '标为已看',
  'live.on': '实时：新事件和关闭会自动出现',
  'live.off': '实时更新已暂停或正在重连',
};

export const TABLES: Record<Lang, Record<LiveKey, string>> = { en, zh };

export type LiveTranslate = (key: LiveKey, params?: Record<string, string | number>) => string;

/** `t` for this feature's strings, in the app's current language. */
export function useLiveT(): LiveTranslate {
  return useTableT(TABLES);
}
