export { KpiCards } from './components/kpi-cards.js';
export type { KpiCardsProps } from './components/kpi-cards.js';
