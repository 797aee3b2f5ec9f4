export { CellPanel } from './components/cell-panel.js';
export type { CellPanelProps } from './components/cell-panel.js';
export { IncidentDetail } from './components/incident-detail.js';
export type { IncidentDetailProps } from './components/incident-detail.js';
export { MyWorkPanel, todayCount } from './components/my-work.js';
export { useMyWork } from './api/use-my-work.js';
export type { MyWorkProps } from './components/my-work.js';
