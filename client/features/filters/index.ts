export { FiltersPanel } from './components/filters-panel.js';
export type { FiltersPanelProps } from './components/filters-panel.js';
