export { FiltersPanel } from './components/filters-panel.js';
export type { FiltersPanelProps } from './components/filters-panel.js';
export { ExportLinks } from './components/export-links.js';
export type { ExportLinksProps } from './components/export-links.js';
