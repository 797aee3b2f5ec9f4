/**
 * The AI review's strings (issue 19): the quick reasons to mark a detection a false alarm, and
 * the timeline's decision. The words are the glossary's (server/domain/glossary.ts).
 */
import { useTableT } from '../../i18n/i18n.js';
import type { Lang } from '../../i18n/i18n.js';
import { EN, REJECT_REASON_EN, REJECT_REASON_ZH, ZH } from '../../../server/domain/glossary.js';

const en = {
  'review.why': 'Why a false alarm?',
  'review.reason.false_detection': REJECT_REASON_EN.false_detection,
  'review.reason.unclear_image': REJECT_REASON_EN.unclear_image,
  'review.reason.not_rider': REJECT_REASON_EN.not_rider,
  'review.reason.other': REJECT_REASON_EN.other,
  'review.otherPlaceholder': 'Say why (required)',
  'review.submitOther': 'Mark as false alarm',
  'review.cancel': 'Cancel',
  'review.decision.confirmed': `Review: ${EN.aiConfirmed}`,
  'review.decision.rejected': `Review: ${EN.aiRejected}`,
} as const;

export type ReviewKey = keyof typeof en;

const zh: Record<ReviewKey, string> = {
  'review.why': '为什么是误报？',
  'review.reason.false_detection': REJECT_REASON_ZH.false_detection,
  'review.reason.unclear_image': REJECT_REASON_ZH.unclear_image,
  'review.reason.not_rider': REJECT_REASON_ZH.not_rider,
  'review.reason.other': REJECT_REASON_ZH.other,
  'review.otherPlaceholder': '请说明原因（必填）',
  'review.submitOther': `标记${ZH.aiRejected}`,
  'review.cancel': '取消',
  'review.decision.confirmed': `审核：${ZH.aiConfirmed}`,
  'review.decision.rejected': `审核：${ZH.aiRejected}`,
};

export const TABLES: Record<Lang, Record<ReviewKey, string>> = { en, zh };

/** `t` for the review's strings, in the app's current language. */
export function useReviewT(): (key: ReviewKey, params?: Record<string, string | number>) => string {
  return useTableT(TABLES);
}
