/**
 * The stats feature's strings in English and Simplified Chinese. The app's i18n has no way to
 * register a feature's strings, so this is a local table keyed by the language of `useLang()`;
 * shared words (category and kind names, loading, retry) still come from the app's `useT()`.
 */
import { fillPlaceholders, useTableT } from '../../i18n/i18n.js';
import type { Lang } from '../../i18n/i18n.js';

const en = {
  'dashboard.button': 'Dashboard',
  'dashboard.title': 'Dashboard',
  'dashboard.hint': 'Click a bar, a category or a store to filter the map and the other charts.',
  'state.empty': 'No incidents match these filters.',
  'state.error': 'Could not load this chart: {message}',
  'chart.loading': 'Loading chart…',
  'closure.title': 'Monthly closure rate',
  'closure.now': 'As of now',
  'closure.byEnd': 'By the end of the month',
  'closure.target': 'Target {target}',
  'closure.note': 'Incidents of each month closed or dismissed; rejected and pending AI detections left out.',
  'closure.tooltip': '{month}: {closed} of {occurred} closed',
  'timeseries.title': 'Incidents over time',
  'timeseries.interval': 'Interval',
  'timeseries.split': 'Split by',
  'interval.day': 'Day',
  'interval.week': 'Week',
  'interval.month': 'Month',
  'split.none': 'None',
  'split.kind': 'Kind',
  'split.severity': 'Severity',
  'series.all': 'Incidents',
  'series.severity': 'Severity {severity}',
  'categories.title': 'Categories',
  'categories.selected': 'Filtered to {category}: click it again to clear.',
  'hourOfWeek.title': 'Hour of week',
  'hourOfWeek.note': 'Local time of each city. Darker: more incidents.',
  'hourOfWeek.cell': '{day} {hour}:00 – {count}',
  'day.0': 'Mon',
  'day.1': 'Tue',
  'day.2': 'Wed',
  'day.3': 'Thu',
  'day.4': 'Fri',
  'day.5': 'Sat',
  'day.6': 'Sun',
  'ranking.title': 'Store ranking',
  'ranking.period': '{from} – {to}, against the period before',
  'ranking.sort': 'Sort by',
  'ranking.store': 'Store',
  'ranking.incidents': 'Incidents',
  'ranking.perMonth': 'Per month',
  'ranking.closureRate': 'Closure rate',
  'ranking.overdue': 'Overdue',
  'ranking.change': 'Change',
  'ranking.new': 'new',
  'ranking.filter': 'Show only {store} on the map',
  'ranking.per1000Smoothed': 'Per 1,000 deliveries',
  'ranking.per1000Raw': 'raw {raw}',
  'ranking.per1000Tip': 'Smoothed by empirical Bayes over the city\'s stores: a store with few deliveries is pulled towards the city\'s rate. The raw rate is incidents / deliveries.',
  'ranking.noExposure': 'no deliveries',
  'ranking.exposureMissing': 'No delivery counts cover this period for {count} of these stores: their risk per delivery is unknown, compare them by counts.',
  'kpi.targetMet': 'At or above the target',
  'kpi.targetNear': 'Below the target by less than {margin} points',
  'kpi.targetMissed': 'Below the target by {margin} points or more',
} as const;

export type StatsKey = keyof typeof en;

const zh: Record<StatsKey, string> = {
  'dashboard.button': '统计',
  'dashboard.title': '统计看板',
  'dashboard.hint': '点击柱形、类别或门店，即可筛选地图和其他图表。',
  'state.empty': '没有符合筛选条件的事件。',
  'state.error': '无法加载此图表：{message}',
  'chart.loading': '正在加载图表…',
  'closure.title': '月度闭环率',
  'closure.now': '截至目前',
  'closure.byEnd': '截至当月月底',
  'closure.target': '目标 {target}',
  'closure.note': '当月发生的事件中已闭环或已撤销的比例；误报和待审核的 AI 识别不计入。',
  'closure.tooltip': '{month}：{occurred} 起中已闭环 {closed} 起',
  'timeseries.title': '事件趋势',
  'timeseries.interval': '时间粒度',
  'timeseries.split': '拆分',
  'interval.day': '日',
  'interval.week': '周',
  'interval.month': '月',
  'split.none': '不拆分',
  'split.kind': '类型',
  'split.severity': '严重程度',
  'series.all': '事件',
  'series.severity': '严重程度 {severity}',
  'categories.title': '事件类别',
  'categories.selected': '已筛选：{category}（再次点击取消）',
  'hourOfWeek.title': '一周时段分布',
  'hourOfWeek.note': '按各城市当地时间。颜色越深，事件越多。',
  'hourOfWeek.cell': '{day} {hour}:00 – {count} 起',
  'day.0': '周一',
  'day.1': '周二',
  'day.2': '周三',
  'day.3': '周四',
  'day.4': '周五',
  'day.5': '周六',
  'day.6': '周日',
  'ranking.title': '门店排名',
  'ranking.period': '{from} 至 {to}，与上一周期相比',
  'ranking.sort': '排序',
  'ranking.store': '门店',
  'ranking.incidents': '事件',
  'ranking.perMonth': '月均',
  'ranking.closureRate': '闭环率',
  'ranking.overdue': '超期',
  'ranking.change': '变化',
  'ranking.new': '新增',
  'ranking.filter': '地图上只看 {store}',
  'ranking.per1000Smoothed': '每千单',
  'ranking.per1000Raw': '原始 {raw}',
  'ranking.per1000Tip': '按城市内门店做经验贝叶斯平滑：单量少的门店向城市水平收缩。原始值为事件数 / 单量。',
  'ranking.noExposure': '无单量',
  'ranking.exposureMissing': '本周期有 {count} 家门店没有单量数据：无法计算每单风险，请按数量比较。',
  'kpi.targetMet': '达到或超过目标',
  'kpi.targetNear': '低于目标不到 {margin} 个百分点',
  'kpi.targetMissed': '低于目标 {margin} 个百分点或更多',
};

export const TABLES: Record<Lang, Record<StatsKey, string>> = { en, zh };

export type StatsTranslate = (key: StatsKey, params?: Record<string, string | number>) => string;

export function statsText(lang: Lang, key: StatsKey, params?: Record<string, string | number>): string {
  return fillPlaceholders(TABLES[lang][key], params);
}

/** `t` for this feature's strings, in the app's current language. */
export function useStatsT(): StatsTranslate {
  return useTableT(TABLES);
}
