/**
 * The countermeasures feature's strings in English and Simplified Chinese (a local table, like the
 * stats feature's: the app's i18n has no way to register a feature's strings).
 */
import { useTableT } from '../../i18n/i18n.js';
import type { Lang } from '../../i18n/i18n.js';

const en = {
  'cm.new': 'New countermeasure here',
  'cm.inCell': 'Countermeasures in this cell',
  'cm.formTitle': 'New countermeasure',
  'cm.cells': 'Cells: {cells}',
  'cm.store': 'Store',
  'cm.title': 'Title',
  'cm.kind': 'Kind',
  'cm.kind.route_change': 'Route change',
  'cm.kind.signage': 'Signage',
  'cm.kind.rider_briefing': 'Rider briefing',
  'cm.kind.facility_fix': 'Facility fix',
  'cm.kind.other': 'Other',
  'cm.counts': 'Count',
  'cm.counts.accident': 'Accidents',
  'cm.counts.exception': 'Riding exceptions',
  'cm.counts.all': 'All incidents',
  'cm.startDate': 'Start date',
  'cm.owner': 'Owner',
  'cm.note': 'Note',
  'cm.create': 'Create',
  'cm.cancel': 'Cancel',
  'cm.saving': 'Saving…',
  'cm.panelTitle': 'Countermeasure',
  'cm.meta': '{kind} · since {start} · {owner} · {store}',
  'cm.before': 'Before',
  'cm.after': 'After',
  'cm.window': '{incidents} in {weeks} weeks',
  'cm.windowExposure': '{incidents} in {weeks} weeks, {exposure} deliveries',
  'cm.perWeek': '{rate} per week',
  'cm.perThousand': '{rate} per 1,000 deliveries',
  'cm.ratio': 'Rate ratio {ratio} ({change}), 95 % interval {lo} – {hi}, p = {p}',
  'cm.ratioNone': 'No incidents before the start: no ratio.',
  'cm.basis.weeks': 'Compared per week (no delivery counts for both windows).',
  'cm.basis.deliveries': 'Compared per delivery.',
  'cm.verdict.effective': 'Effective',
  'cm.verdict.no_change': 'No change',
  'cm.verdict.worse': 'Worse',
  'cm.verdict.too_early': 'Too early',
  'cm.chart': 'Incidents before and after the start',
  'cm.layer': 'Countermeasures',
} as const;

export type CmKey = keyof typeof en;

const zh: Record<CmKey, string> = {
  'cm.new': '在此新建对策',
  'cm.inCell': '此格内的对策',
  'cm.formTitle': '新建对策',
  'cm.cells': '网格：{cells}',
  'cm.store': '门店',
  'cm.title': '标题',
  'cm.kind': '类型',
  'cm.kind.route_change': '调整路线',
  'cm.kind.signage': '标识',
  'cm.kind.rider_briefing': '骑手宣导',
  'cm.kind.facility_fix': '设施整改',
  'cm.kind.other': '其他',
  'cm.counts': '统计',
  'cm.counts.accident': '事故',
  'cm.counts.exception': '骑行例外',
  'cm.counts.all': '全部事件',
  'cm.startDate': '开始日期',
  'cm.owner': '负责人',
  'cm.note': '备注',
  'cm.create': '创建',
  'cm.cancel': '取消',
  'cm.saving': '保存中…',
  'cm.panelTitle': '对策',
  'cm.meta': '{kind} · 自 {start} · {owner} · {store}',
  'cm.before': '之前',
  'cm.after': '之后',
  'cm.window': '{weeks} 周内 {incidents} 起',
  'cm.windowExposure': '{weeks} 周内 {incidents} 起，{exposure} 单',
  'cm.perWeek': '每周 {rate}',
  'cm.perThousand': '每千单 {rate}',
  'cm.ratio': '比率 {ratio}（{change}），95 % 区间 {lo} – {hi}，p = {p}',
  'cm.ratioNone': '开始前没有事件：无法计算比率。',
  'cm.basis.weeks': '按周比较（两个时段没有完整单量）。',
  'cm.basis.deliveries': '按单量比较。',
  'cm.verdict.effective': '有效',
  'cm.verdict.no_change': '无变化',
  'cm.verdict.worse': '变差',
  'cm.verdict.too_early': '为时尚早',
  'cm.chart': '开始前后的事件',
  'cm.layer': '对策',
};

export const TABLES: Record<Lang, Record<CmKey, string>> = { en, zh };

export type CmTranslate = (key: CmKey, params?: Record<string, string | number>) => string;

/** `t` for this feature's strings, in the app's current language. */
export function useCmT(): CmTranslate {
  return useTableT(TABLES);
}
