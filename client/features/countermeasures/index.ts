import './countermeasures.css';
export { CellCountermeasures } from './components/cell-countermeasures.js';
export { CountermeasureForm } from './components/countermeasure-form.js';
export { CountermeasurePanel } from './components/countermeasure-panel.js';
export { useCountermeasureLayer } from './api/use-countermeasures.js';
export { VERDICT_COLOR } from './lib/verdict.js';
