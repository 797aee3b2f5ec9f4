/**
 * `npm run bench:ui`'s floor: the offline basemap drawn by MapLibre alone, no React, no data, no
 * deck.gl, on the same camera the app's first screen shows (`?lat&lng&z`), with the map options
 * and controls of features/map/components/hex-map.tsx. A second Vite entry (vite.config.ts), so it
 * loads the very MapLibre chunk and worker the app loads. `window.__basemapOnly` reports
 * `performance.now()` (ms since navigation) at MapLibre's first `load` (style in, first frame)
 * and first `idle` (every source loaded and drawn).
 */
import { AttributionControl, Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { offlineStyle } from '../features/map/basemaps.js';

declare global {
  interface Window {
    __basemapOnly?: { loadMs: number | null; idleMs: number | null };
  }
}

setWorkerUrl(workerUrl);
const params = new URLSearchParams(window.location.search);
const report: { loadMs: number | null; idleMs: number | null } = { loadMs: null, idleMs: null };
window.__basemapOnly = report;
const map = new MapLibreMap({
  container: 'map',
  style: offlineStyle(),
  center: [Number(params.get('lng') ?? 119.3), Number(params.get('lat') ?? 26.08)],
  zoom: Number(params.get('z') ?? 10),
  attributionControl: false,
  dragRotate: false,
  pitchWithRotate: false,
  touchPitch: false,
});
map.addControl(new AttributionControl({ compact: false }), 'bottom-right');
map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
map.once('load', () => (report.loadMs = performance.now()));
map.once('idle', () => (report.idleMs = performance.now()));
