export { KpiCards } from './components/kpi-cards.js';
export type { KpiCardsProps } from './components/kpi-cards.js';
export { StatsPanel } from './components/stats-panel.js';
export type { StatsPanelProps } from './components/stats-panel.js';
export { Dashboard } from './components/dashboard.js';
export type { DashboardProps } from './components/dashboard.js';
export { ClosureChart } from './components/closure-chart.js';
export type { ClosureChartProps } from './components/closure-chart.js';
export type { FilterPatch } from './lib/cross-filter.js';
