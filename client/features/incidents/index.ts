export { CellPanel } from './components/cell-panel.js';
export type { CellPanelProps } from './components/cell-panel.js';
