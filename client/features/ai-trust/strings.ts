/** The AI-trust feature's strings (a local table, like the stats feature's). */
import { useTableT } from '../../i18n/i18n.js';
import type { Lang } from '../../i18n/i18n.js';

const en = {
  'trust.title': 'How far to trust the AI',
  'trust.category': 'Category',
  'trust.detections': 'Detections',
  'trust.confirmRate': 'Confirmed',
  'trust.reviewTime': 'Review time',
  'trust.pending': 'Awaiting',
  'trust.oldest': 'Oldest waiting',
  'trust.hours': '{h} h',
  'trust.samples': 'over {n}',
  'trust.suggested': 'Suggested bulk-confirm threshold: {t} ({rate} of {n} past decisions above it were confirmed).',
  'trust.noSuggestion': 'No suggested threshold yet: too few decisions reach 95 % confirmed.',
  'trust.bulkOff': 'Bulk confirmation is off until an admin sets a threshold.',
  'trust.bulk': 'Confirm {n} awaiting at confidence ≥ {t}',
  'trust.bulkDone': '{n} confirmed.',
  'trust.queue': 'Review first (confidence × severity)',
  'trust.empty': 'No AI detections.',
  'trust.byModel': 'By model version',
  'trust.model': 'Model version',
  'trust.noModel': 'not sent',
} as const;

export type TrustKey = keyof typeof en;

const zh: Record<TrustKey, string> = {
  'trust.title': 'AI 可信度',
  'trust.category': '类别',
  'trust.detections': '识别数',
  'trust.confirmRate': '确认率',
  'trust.reviewTime': '审核用时',
  'trust.pending': '待审核',
  'trust.oldest': '最久待审',
  'trust.hours': '{h} 小时',
  'trust.samples': '基于 {n} 条',
  'trust.suggested': '建议批量确认阈值：{t}（其上 {n} 条历史判定中 {rate} 被确认）。',
  'trust.noSuggestion': '暂无建议阈值：达到 95 % 确认的判定太少。',
  'trust.bulkOff': '管理员设置阈值前不能批量确认。',
  'trust.bulk': '确认置信度 ≥ {t} 的 {n} 条待审核',
  'trust.bulkDone': '已确认 {n} 条。',
  'trust.queue': '优先审核（置信度 × 严重程度）',
  'trust.empty': '没有 AI 识别。',
  'trust.byModel': '按模型版本',
  'trust.model': '模型版本',
  'trust.noModel': '未提供',
};

export const TABLES: Record<Lang, Record<TrustKey, string>> = { en, zh };

export type TrustTranslate = (key: TrustKey, params?: Record<string, string | number>) => string;

export function useTrustT(): TrustTranslate {
  return useTableT(TABLES);
}
