export { AlertsBadge, AlertsList } from './components/alerts-list.js';
export type { AlertsListProps } from './components/alerts-list.js';
export type { AlertGrouping } from './lib/group.js';
export type { Bounds } from './lib/cell-bounds.js';
