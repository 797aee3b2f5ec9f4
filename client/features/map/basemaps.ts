/**
 * Basemaps: each one is a MapLibre style plus its attribution, chosen in `basemapFor`.
 * The offline style is the default (tests, and any network where tiles cannot be reached):
 * land polygons bundled with the app (see data/make-offline-land.mjs), no tiles, no glyphs.
 */
import type { StyleSpecification } from 'maplibre-gl';
import offlineLandUrl from './data/offline-land.json?url';

export type BasemapId = 'offline' | 'osm' | 'vector';

export interface Basemap {
  id: BasemapId;
  /** A style object, or the URL of a style document. */
  style: () => StyleSpecification | string;
  attribution: string;
}

const WATER = '#c9dbe8';
const LAND = '#f3f1ec';
const COAST = '#9fb4c4';
/** Below this zoom the 1:110m world is drawn, from it the 1:10m coast of the demo region. */
const FINE_LAND_MIN_ZOOM = 5;

export const offlineBasemap: Basemap = {
  id: 'offline',
  attribution: 'Natural Earth',
  style: () => ({
    version: 8,
    name: 'Hexwatch offline',
    sources: {
      // A URL (fetched by MapLibre's worker) keeps 150 kB of coordinates out of the JS bundle.
      land: { type: 'geojson', data: new URL(offlineLandUrl, window.location.href).href, attribution: 'Natural Earth' },
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': WATER } },
      {
        id: 'land-coarse',
        type: 'fill',
        source: 'land',
        maxzoom: FINE_LAND_MIN_ZOOM,
        filter: ['==', ['get', 'detail'], 'coarse'],
        paint: { 'fill-color': LAND },
      },
      {
        id: 'land-fine',
        type: 'fill',
        source: 'land',
        minzoom: FINE_LAND_MIN_ZOOM,
        filter: ['==', ['get', 'detail'], 'fine'],
        paint: { 'fill-color': LAND },
      },
      {
        id: 'coast',
        type: 'line',
        source: 'land',
        minzoom: FINE_LAND_MIN_ZOOM,
        filter: ['==', ['get', 'detail'], 'fine'],
        paint: { 'line-color': COAST, 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.5, 14, 2] },
      },
    ],
  }),
};

export const osmBasemap: Basemap = {
  id: 'osm',
  attribution: '© OpenStreetMap contributors',
  style: () => ({
    version: 8,
    sources: {
      osm: {
        type: 'raster',
        tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'],
        tileSize: 256,
        maxzoom: 19,
        attribution: '© OpenStreetMap contributors',
      },
    },
    layers: [{ id: 'osm', type: 'raster', source: 'osm' }],
  }),
};

export function vectorBasemap(styleUrl: string, attribution = ''): Basemap {
  return { id: 'vector', attribution, style: () => styleUrl };
}

/**
 * The configured basemap: `VITE_BASEMAP` = offline (default) | osm | an https style URL.
 * Unknown values fall back to offline rather than to a map that cannot load.
 */
export function basemapFor(config: string | undefined): Basemap {
  if (!config || config === 'offline') return offlineBasemap;
  if (config === 'osm') return osmBasemap;
  if (/^https?:\/\//.test(config)) return vectorBasemap(config);
  return offlineBasemap;
}

export const configuredBasemap: Basemap = basemapFor(import.meta.env.VITE_BASEMAP as string | undefined);
