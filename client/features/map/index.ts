export { RiskMap } from './components/risk-map.js';
export type { RiskMapProps } from './components/risk-map.js';
