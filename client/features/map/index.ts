export { RiskMap } from './components/risk-map.js';
export type { MapSummary, RiskMapProps } from './components/risk-map.js';
export type { CameraRequest, CellOutline, MapPulse } from './components/hex-map.js';
export { StorePicker } from './components/store-picker.js';
export type { StorePickerProps } from './components/store-picker.js';
