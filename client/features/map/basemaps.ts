/**
 * Basemaps (DESIGN.md "Basemap"): the server's configuration (`config.client`) becomes a
 * MapLibre style here, one implementation per kind, chosen in `resolveBasemap`:
 * - `offline`: land polygons bundled with the app (see data/make-offline-land.mjs), no tiles,
 *   no glyphs, no network. The default, and the fallback when another basemap cannot be reached.
 * - `osm` / `amap`: raster tiles (AMap's are GCJ-02: the map converts what it draws).
 * - `style`: a vector style URL, fetched by MapLibre.
 * - `pmtiles`: a self-hosted archive through the `pmtiles://` protocol; the archive's header says
 *   whether it holds raster or vector tiles, and a vector one is drawn with a label-free style
 *   for the Protomaps basemap layers (labels would need remote glyphs).
 */
import { addProtocol } from 'maplibre-gl';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { PMTiles, Protocol, TileType } from 'pmtiles';
import type { RouterOutputs } from '../../lib/trpc.js';
import type { MapCrsId } from './lib/coords.js';
import offlineLandUrl from './data/offline-land.json?url';

export type BasemapConfig = RouterOutputs['config']['client']['basemap'];
export type BasemapKind = BasemapConfig['kind'];

export interface ResolvedBasemap {
  kind: BasemapKind;
  /** A style object, or the URL of a style document. */
  style: StyleSpecification | string;
  crs: MapCrsId;
}

const WATER = '#c9dbe8';
const LAND = '#f3f1ec';
const COAST = '#9fb4c4';
const ROAD = '#ffffff';
const ROAD_CASING = '#d6d3cc';
/** Below this zoom the 1:110m world is drawn, from it the 1:10m coast of the demo region. */
const FINE_LAND_MIN_ZOOM = 5;

export function offlineStyle(): StyleSpecification {
  return {
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
  };
}

export function rasterStyle(tiles: string[], attribution: string, maxzoom: number): StyleSpecification {
  return {
    version: 8,
    sources: { raster: { type: 'raster', tiles, tileSize: 256, maxzoom, attribution } },
    layers: [
      // Water colour behind the tiles: while they load (or where they fail) the map is not black.
      { id: 'background', type: 'background', paint: { 'background-color': WATER } },
      { id: 'raster', type: 'raster', source: 'raster' },
    ],
  };
}

let pmtilesProtocol: Protocol | null = null;

/** Registers `pmtiles://` with MapLibre once and returns the protocol (it caches archives). */
function pmtilesProtocolOnce(): Protocol {
  if (!pmtilesProtocol) {
    pmtilesProtocol = new Protocol();
    addProtocol('pmtiles', pmtilesProtocol.tile);
  }
  return pmtilesProtocol;
}

/** Protomaps basemap layers drawn without labels: water, earth, land use, roads, buildings. */
function protomapsLayers(source: string): LayerSpecification[] {
  return [
    { id: 'background', type: 'background', paint: { 'background-color': WATER } },
    { id: 'earth', type: 'fill', source, 'source-layer': 'earth', paint: { 'fill-color': LAND } },
    { id: 'landuse', type: 'fill', source, 'source-layer': 'landuse', paint: { 'fill-color': '#e8eee0', 'fill-opacity': 0.6 } },
    { id: 'water', type: 'fill', source, 'source-layer': 'water', paint: { 'fill-color': WATER } },
    {
      id: 'roads-casing',
      type: 'line',
      source,
      'source-layer': 'roads',
      paint: { 'line-color': ROAD_CASING, 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 8, 0.5, 16, 9] },
    },
    {
      id: 'roads',
      type: 'line',
      source,
      'source-layer': 'roads',
      paint: { 'line-color': ROAD, 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 8, 0.3, 16, 7] },
    },
    { id: 'buildings', type: 'fill', source, 'source-layer': 'buildings', minzoom: 14, paint: { 'fill-color': '#e2ddd4' } },
  ];
}

/** A style for a PMTiles archive; rejects when the archive cannot be read (so the map falls back). */
export async function pmtilesStyle(url: string, attribution: string): Promise<StyleSpecification> {
  const protocol = pmtilesProtocolOnce();
  const absolute = new URL(url, window.location.href).href;
  const archive = new PMTiles(absolute);
  protocol.add(archive);
  const header = await archive.getHeader();
  const source = 'pmtiles';
  const tilesUrl = `pmtiles://${absolute}`;
  if (header.tileType === TileType.Mvt) {
    return {
      version: 8,
      sources: { [source]: { type: 'vector', url: tilesUrl, attribution: attribution || '© OpenStreetMap contributors' } },
      layers: protomapsLayers(source),
    };
  }
  return {
    version: 8,
    sources: { [source]: { type: 'raster', url: tilesUrl, tileSize: 256, attribution } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': WATER } },
      { id: 'raster', type: 'raster', source },
    ],
  };
}

export const OFFLINE_BASEMAP: ResolvedBasemap = { kind: 'offline', style: offlineStyle(), crs: 'wgs84' };

/** The configured basemap as a style. Rejects when it cannot even be described (e.g. an unreadable archive). */
export async function resolveBasemap(config: BasemapConfig): Promise<ResolvedBasemap> {
  switch (config.kind) {
    case 'offline':
      return OFFLINE_BASEMAP;
    case 'osm':
      return { kind: 'osm', style: rasterStyle(config.tileUrls, config.attribution, 19), crs: 'wgs84' };
    case 'amap':
      return { kind: 'amap', style: rasterStyle(config.tileUrls, config.attribution, 18), crs: 'gcj02' };
    case 'style':
      if (!config.styleUrl) throw new Error('BASEMAP=style without BASEMAP_STYLE_URL');
      return { kind: 'style', style: config.styleUrl, crs: 'wgs84' };
    case 'pmtiles':
      if (!config.pmtilesUrl) throw new Error('BASEMAP=pmtiles without BASEMAP_PMTILES_URL');
      return { kind: 'pmtiles', style: await pmtilesStyle(config.pmtilesUrl, config.attribution), crs: 'wgs84' };
  }
}
