export { AlertsList } from './components/alerts-list.js';
export type { AlertsListProps } from './components/alerts-list.js';
export type { Bounds } from './lib/cell-bounds.js';
