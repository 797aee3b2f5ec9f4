/**
 * All imperative map code lives here: the MapLibre map, the deck.gl overlay (interleaved, so
 * hexagons sit under the map's labels and share its WebGL context), store labels as HTML
 * markers (drawn with the page's fonts: no remote glyphs, Chinese names included) and their
 * events. Layers are rebuilt from props and handed to the overlay with `setProps`.
 *
 * Everything crosses this component in WGS-84; on a GCJ-02 basemap (AMap) it converts what it
 * draws and what the map reports (lib/coords.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Map as MapLibreMap, AttributionControl, Marker, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { H3HexagonLayer } from '@deck.gl/geo-layers';
import { PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { cellToLatLng, getHexagonEdgeLengthAvg, latLngToCell } from 'h3-js';
import type { Bbox } from '../../../lib/filters.js';
import type { MapView } from '../../../lib/url-state.js';
import type { ResolvedBasemap } from '../basemaps.js';
import type { Rgba } from '../lib/color-scale.js';
import { fitPadding, LANDING_MAX_ZOOM } from '../lib/camera.js';
import { cellToMapRing, crsFor, mapBboxToWgs84 } from '../lib/coords.js';
import type { LngLat, MapCrs } from '../lib/coords.js';
import { setTestHook } from '../lib/test-hook.js';
import { thinLabels } from '../lib/label-thinning.js';
import { panelPadding, panIntoFree } from '../lib/free-area.js';
import type { Padding } from '../lib/free-area.js';

// Vite bundles the worker as a separate asset; MapLibre must be told where it went.
setWorkerUrl(workerUrl);

/** Fuzhou, where the demo data starts, when neither the URL nor the stores say where to look. */
const DEFAULT_VIEW: MapView = { lat: 26.08, lng: 119.3, zoom: 10 };
const SELECTED_LINE: Rgba = [15, 23, 42, 255];
const STORE_FILL: Rgba = [37, 99, 235, 255];
const STORE_RING: Rgba = [37, 99, 235, 90];
const NO_STORES: StoreMarker[] = [];
/** Store names are drawn from this zoom on (below it they would cover the hexagons). */
const LABEL_MIN_ZOOM = 11;
/** Gap between a store's dot and its label, CSS pixels. */
const LABEL_OFFSET_PX = 6;
/** Room kept around a fitted box inside the free area, CSS pixels. */
const FIT_MARGIN_PX = 24;
/**
 * When the selected cell is checked again (ms) after the first check, for panels that lay out
 * late: the cell panel is a lazy chunk, which on a slow phone or a busy machine arrives seconds
 * after the click. A check pans only when the cell is under a panel.
 */
const CELL_RECHECK_MS = [400, 1_200, 2_500, 5_000] as const;
/** A basemap whose style has not loaded by then counts as unreachable. */
const STYLE_TIMEOUT_MS = 12_000;
/** Tile errors before any tile loaded that count as an unreachable basemap. */
const TILE_ERRORS_BEFORE_FALLBACK = 3;
/** The tallest extruded cell, in cell edge lengths. */
const EXTRUSION_EDGES = 12;
const EXTRUDED_PITCH_DEG = 45;

/** Columnar hexbins as the server sends them: index i of every array is one cell. */
export interface HexColumns {
  resolution: number;
  cells: string[];
  count: number[];
  /** Absent in the hot-spot modes (the statistics count incidents, not their states). */
  open?: number[];
}

/** A new incident pulsing on the map: its hexagon at the drawn resolution, fading out. */
export interface MapPulse {
  key: string;
  lat: number;
  lng: number;
  /** `performance.now()` when it started. */
  startedMs: number;
}

/** How long a pulse lasts, and how often its frame is redrawn meanwhile. */
const PULSE_MS = 2_500;
const PULSE_FRAME_MS = 80;
const PULSE_COLOR: [number, number, number] = [220, 38, 38];

export interface StoreMarker {
  id: number;
  code: string;
  name: string;
  lat: number;
  lng: number;
  radiusM: number;
}

/** A cell outlined in a colour of its own (h3-js id, any resolution). */
export interface CellOutline {
  cell: string;
  color: Rgba;
}

/** "Show this box": a new `seq` moves the camera even to the same box again. */
export interface CameraRequest {
  bounds: Bbox;
  maxZoom: number;
  seq: number;
}

export interface HexMapProps {
  basemap: ResolvedBasemap;
  /** The basemap's style or tiles cannot be reached (the caller switches to offline). */
  onBasemapError: (message: string) => void;
  initialView: MapView | null;
  /** Where to look when the URL gives no view (e.g. the user's stores); applied until the user moves. */
  fallbackBounds: Bbox | null;
  camera: CameraRequest | null;
  /** What the cells show (`hexbins`, `gi`, `emerging`); reported to the test hook. */
  mode: string;
  hexbins: HexColumns | undefined;
  /** The colour metric of each cell (same index as `hexbins.cells`). */
  values: number[];
  colorOf: (value: number) => Rgba;
  /** 0..1 share of the tallest extrusion. */
  heightOf: (value: number) => number;
  extruded: boolean;
  /** A newer answer is on its way (the drawn one is kept meanwhile). */
  loading: boolean;
  selectedCell: string | null;
  stores: StoreMarker[];
  /** The store whose delivery radius is drawn (one ring, not ~160 meshing over the hexagons); its label wins collisions. */
  selectedStoreId: number | null;
  /** CSS selector of the panels floating over the map: the camera keeps the selected cell and fitted boxes out from under them. */
  panelSelector: string;
  /** Cells drawn as coloured outlines above the hexbins (countermeasures by verdict); not clickable. */
  outlines?: readonly CellOutline[];
  /** Fired when the camera comes to rest, with the visible box (WGS-84). */
  onViewChange: (view: MapView, bounds: Bbox) => void;
  onCellClick: (cell: string) => void;
  tooltip: (index: number) => string;
  /** New incidents to pulse (live updates). */
  pulses: readonly MapPulse[];
}

export function HexMap(props: HexMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapLibreOverlay | null>(null);
  const userMovedRef = useRef(false);
  /** The selected cell of a link that also names the view, until another cell is selected (see the pan-out below). */
  const linkCellRef = useRef(props.initialView ? props.selectedCell : null);
  // Event handlers registered once read the latest props through this ref.
  const propsRef = useRef(props);
  propsRef.current = props;
  const crs = crsFor(props.basemap.crs);
  const crsRef = useRef<MapCrs>(crs);
  crsRef.current = crs;
  /** The map's padding for the panels over it now (issue 19: map padding = the panels' size). */
  const padding = (): Padding => {
    const container = containerRef.current;
    if (!container) return { top: 0, right: 0, bottom: 0, left: 0 };
    const rects = Array.from(document.querySelectorAll(propsRef.current.panelSelector), (el) => el.getBoundingClientRect());
    return panelPadding(container.getBoundingClientRect(), rects);
  };
  // The stores (dots, rings, names) wait for the first frame drawn with the data (or without it,
  // when none is coming): their shader and markers are not what the first paint is for.
  const [storesShown, setStoresShown] = useState(false);
  const stores = storesShown ? props.stores : NO_STORES;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const start = props.initialView ?? DEFAULT_VIEW;
    const center = crsRef.current.wgs84ToMap([start.lng, start.lat]);
    const map = new MapLibreMap({
      container,
      style: props.basemap.style,
      center,
      zoom: start.zoom,
      pitch: props.extruded ? EXTRUDED_PITCH_DEG : 0,
      attributionControl: false,
      // Rotation adds little to a hexbin map and confuses phone users.
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new AttributionControl({ compact: false, customAttribution: 'H3 · deck.gl' }), 'bottom-right');
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    if (!props.initialView && props.fallbackBounds) fitTo(map, crsRef.current, props.fallbackBounds, LANDING_MAX_ZOOM, false, 'landing');

    const overlay = new MapLibreOverlay({ interleaved: true, layers: [] });
    map.addControl(overlay);
    mapRef.current = map;
    overlayRef.current = overlay;

    const emitView = () => {
      const c = crsRef.current.mapToWgs84([map.getCenter().lng, map.getCenter().lat]);
      const b = map.getBounds();
      const bounds = mapBboxToWgs84([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], crsRef.current);
      propsRef.current.onViewChange({ lat: c[1], lng: c[0], zoom: map.getZoom() }, bounds);
    };
    const showLabels = () => container.classList.toggle('hw-map--labels', map.getZoom() >= LABEL_MIN_ZOOM);
    // The camera is known now: the first hexbins request need not wait for the style and the
    // land polygons to load (it runs alongside them); 'load' reports again, the same box.
    emitView();
    map.on('load', emitView);
    map.on('moveend', emitView);
    map.on('zoomend', showLabels);
    showLabels();
    map.on('movestart', (e) => {
      if ((e as { originalEvent?: unknown }).originalEvent) userMovedRef.current = true;
    });

    let draws = 0;
    let storesDue = false;
    let firstHexagonsMs: number | null = null;
    setTestHook({
      get firstHexagonsMs() {
        return firstHexagonsMs;
      },
      get drawnCells() {
        return propsRef.current.hexbins?.cells.length ?? 0;
      },
      get resolution() {
        return propsRef.current.hexbins?.resolution ?? null;
      },
      get loading() {
        return propsRef.current.loading;
      },
      get draws() {
        return draws;
      },
      get basemap() {
        return propsRef.current.basemap.kind;
      },
      get mode() {
        return propsRef.current.mode;
      },
      get outlines() {
        return (propsRef.current.outlines ?? []).map((o) => o.cell);
      },
      cells: () => {
        const { hexbins: h, values } = propsRef.current;
        if (!h) return [];
        return h.cells
          .map((cell, i) => ({ cell, count: h.count[i] ?? 0, open: h.open?.[i] ?? 0, value: values[i] ?? 0 }))
          .sort((a, b) => b.count - a.count);
      },
      cellToScreen: (cell) => {
        try {
          const [lat, lng] = cellToLatLng(cell);
          const p = map.project(crsRef.current.wgs84ToMap([lng, lat]));
          return [p.x, p.y];
        } catch {
          return null;
        }
      },
      view: () => {
        const c = crsRef.current.mapToWgs84([map.getCenter().lng, map.getCenter().lat]);
        return { lat: c[1], lng: c[0], zoom: map.getZoom() };
      },
      idle: () => map.loaded() && !map.isMoving(),
    });
    overlay.setProps({
      onAfterRender: () => {
        draws++;
        // The layers of this draw were built from the current props (setProps runs before it).
        if (firstHexagonsMs === null && propsRef.current.hexbins?.cells.length) firstHexagonsMs = performance.now();
        if (!storesDue && (propsRef.current.hexbins || !propsRef.current.loading)) {
          storesDue = true;
          setStoresShown(true);
        }
      },
    });

    return () => {
      setTestHook(undefined);
      overlayRef.current = null;
      mapRef.current = null;
      map.remove();
    };
    // The map is created once; later prop changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the map is created once; later prop changes are applied by the effects below
  }, []);

  // Basemap switches (the fallback to offline); deck.gl re-adds its layers on `styledata`.
  const styleKey = typeof props.basemap.style === 'string' ? props.basemap.style : JSON.stringify(props.basemap.style);
  const firstStyleRef = useRef(styleKey);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    // The constructor already set the first style.
    if (styleKey !== firstStyleRef.current) {
      firstStyleRef.current = styleKey;
      map.setStyle(props.basemap.style, { diff: false });
    }
    if (props.basemap.kind === 'offline') return;
    // An unreachable basemap: the style document fails or times out, or every tile fails.
    let failed = false;
    let tilesLoaded = 0;
    let tileErrors = 0;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      propsRef.current.onBasemapError(message);
    };
    const timer = window.setTimeout(() => {
      if (!map.isStyleLoaded()) fail('timeout');
    }, STYLE_TIMEOUT_MS);
    // MapLibre's ErrorEvent carries `sourceId` for source (tile) errors, none for the style's.
    const onError = (ev: object) => {
      const e = ev as { error?: Error; sourceId?: string };
      const message = e.error?.message ?? 'error';
      if (!e.sourceId) {
        if (!map.isStyleLoaded()) fail(message);
        return;
      }
      tileErrors++;
      if (tilesLoaded === 0 && tileErrors >= TILE_ERRORS_BEFORE_FALLBACK) fail(message);
    };
    const onData = (ev: object) => {
      const e = ev as { dataType?: string; tile?: unknown };
      if (e.dataType === 'source' && e.tile) tilesLoaded++;
    };
    map.on('error', onError);
    map.on('data', onData);
    return () => {
      window.clearTimeout(timer);
      map.off('error', onError);
      map.off('data', onData);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- styleKey is the style by value: a new style object with the same content must not reload the basemap
  }, [styleKey]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && props.fallbackBounds && !props.initialView && !userMovedRef.current) fitTo(map, crs, props.fallbackBounds, LANDING_MAX_ZOOM, true, 'landing');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the bounds by value: a new array with the same corners must not move the map
  }, [props.fallbackBounds?.join(',')]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && props.camera) fitTo(map, crs, props.camera.bounds, props.camera.maxZoom, true, padding());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the camera moves when its sequence number changes, not when a new object carries the same request
  }, [props.camera?.seq]);

  // A selected cell under a panel (the one it opens, say) is panned into the free area. Checked
  // once the panel is laid out, and again after a camera move that was under way.
  // Not the cell of a link that also names the view (a shared link, a reload): that view is shown
  // as it was shared. Checked by the timers below, a restore would pan or not depending on when
  // the lazy panels (cell list, incident) happened to lay out.
  useEffect(() => {
    const map = mapRef.current;
    const container = containerRef.current;
    const cell = props.selectedCell;
    const fromLink = cell !== null && cell === linkCellRef.current;
    if (cell !== linkCellRef.current) linkCellRef.current = null;
    if (!map || !container || !cell || fromLink) return;
    let cancelled = false;
    const check = () => {
      if (cancelled) return;
      if (map.isMoving()) {
        map.once('moveend', check);
        return;
      }
      const [lat, lng] = cellToLatLng(cell);
      const p = map.project(crs.wgs84ToMap([lng, lat]));
      const box = container.getBoundingClientRect();
      const rects = Array.from(document.querySelectorAll(propsRef.current.panelSelector), (el) => el.getBoundingClientRect());
      const pan = panIntoFree([box.left + p.x, box.top + p.y], box, rects);
      if (pan) map.panBy(pan, { duration: 500 });
    };
    const frame = requestAnimationFrame(() => requestAnimationFrame(check));
    const timers = CELL_RECHECK_MS.map((ms) => window.setTimeout(check, ms));
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      timers.forEach((timer) => window.clearTimeout(timer));
      map.off('moveend', check);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.selectedCell]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && Math.round(map.getPitch()) !== (props.extruded ? EXTRUDED_PITCH_DEG : 0)) {
      map.easeTo({ pitch: props.extruded ? EXTRUDED_PITCH_DEG : 0, duration: 600 });
    }
  }, [props.extruded]);

  // Store names as HTML markers: the browser's fonts draw any script, no glyph server needed.
  // Thinned by collision whenever the screen distances change (zoom, pitch; a pan keeps them).
  useEffect(() => {
    const map = mapRef.current;
    const container = containerRef.current;
    if (!map || !container) return;
    const labels = stores.map((s) => {
      const el = document.createElement('div');
      el.className = 'hw-store-label';
      el.dataset.storeId = String(s.id);
      el.textContent = s.name;
      el.title = `${s.code} ${s.name}`;
      const marker = new Marker({ element: el, anchor: 'top', offset: [0, LABEL_OFFSET_PX] }).setLngLat(crs.wgs84ToMap([s.lng, s.lat])).addTo(map);
      return { store: s, el, marker };
    });
    const place = () => {
      if (map.getZoom() < LABEL_MIN_ZOOM) return;
      // Measure every label laid out (one layout for all), then hide the ones that collide.
      for (const l of labels) l.el.classList.remove('hw-store-label--hidden');
      const boxes = labels.map(({ store, el }) => {
        const p = map.project(crs.wgs84ToMap([store.lng, store.lat]));
        const width = el.offsetWidth;
        return { id: store.id, x: p.x - width / 2, y: p.y + LABEL_OFFSET_PX, width, height: el.offsetHeight, priority: store.id === propsRef.current.selectedStoreId ? 1 : 0 };
      });
      const kept = thinLabels(boxes);
      for (const l of labels) l.el.classList.toggle('hw-store-label--hidden', !kept.has(l.store.id));
    };
    place();
    map.on('zoomend', place);
    map.on('pitchend', place);
    return () => {
      map.off('zoomend', place);
      map.off('pitchend', place);
      labels.forEach((l) => l.marker.remove());
    };
  }, [stores, crs, props.selectedStoreId]);

  const rings = useMemo(
    () => (crs.id === 'wgs84' || !props.hexbins ? null : props.hexbins.cells.map((c) => cellToMapRing(c, crs))),
    [props.hexbins, crs],
  );

  // a pulse animates: redraw its layer every frame while one is running
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!props.pulses.length) return;
    const timer = setInterval(() => {
      setFrame((f) => f + 1);
      if (props.pulses.every((p) => performance.now() - p.startedMs > PULSE_MS)) clearInterval(timer);
    }, PULSE_FRAME_MS);
    return () => clearInterval(timer);
  }, [props.pulses]);

  const baseLayers = useMemo(
    () => buildLayers({ ...props, stores }, crs, rings),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the props buildLayers reads, listed one by one: `props` itself is a new object on every render
    [props.hexbins, props.values, props.colorOf, props.heightOf, props.extruded, props.selectedCell, stores, props.selectedStoreId, props.outlines, props.onCellClick, crs, rings],
  );
  const layers = useMemo(() => {
    const pulse = buildPulseLayer(props.pulses, props.hexbins?.resolution ?? null, crs, performance.now());
    return pulse ? [...baseLayers, pulse] : baseLayers;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `frame` is the animation tick that makes the pulse layer rebuild; the body reads the clock, not frame
  }, [baseLayers, props.pulses, props.hexbins?.resolution, crs, frame]);

  useEffect(() => {
    overlayRef.current?.setProps({
      layers,
      getTooltip: ({ layer, index }: PickingInfo) =>
        layer?.id === 'hexbins' && index >= 0 ? { text: propsRef.current.tooltip(index), className: 'hw-tooltip' } : null,
      onHover: ({ layer }: PickingInfo) => {
        const canvas = mapRef.current?.getCanvas();
        if (canvas) canvas.style.cursor = layer?.id === 'hexbins' ? 'pointer' : '';
      },
    });
  });

  return <div ref={containerRef} className="hw-map" data-testid="map" data-basemap={props.basemap.kind} />;
}

function buildLayers(
  { hexbins, values, colorOf, heightOf, extruded, selectedCell, stores, selectedStoreId, outlines, onCellClick }: HexMapProps,
  crs: MapCrs,
  rings: LngLat[][] | null,
): Layer[] {
  const layers: Layer[] = [];
  if (hexbins) {
    const { cells, resolution } = hexbins;
    const maxHeightM = getHexagonEdgeLengthAvg(resolution, 'm') * EXTRUSION_EDGES;
    const common = {
      id: 'hexbins',
      opacity: 0.78,
      extruded,
      pickable: true,
      autoHighlight: true,
      highlightColor: [15, 23, 42, 60] as Rgba,
      updateTriggers: { getFillColor: [colorOf, values], getElevation: [heightOf, values] },
      onClick: ({ index }: PickingInfo) => {
        const cell = cells[index];
        if (cell) onCellClick(cell);
        return true;
      },
    };
    if (rings) {
      // GCJ-02: the shifted outline of each cell is no longer an H3 cell, so it is drawn as a polygon.
      layers.push(
        new PolygonLayer<LngLat[]>({
          ...common,
          data: rings,
          getPolygon: (ring) => ring,
          getFillColor: (_ring, { index }) => colorOf(values[index] ?? 0),
          getElevation: (_ring, { index }) => heightOf(values[index] ?? 0) * maxHeightM,
          stroked: false,
        }),
      );
    } else {
      layers.push(
        new H3HexagonLayer<string>({
          ...common,
          data: cells,
          getHexagon: (cell) => cell,
          getFillColor: (_cell, { index }) => colorOf(values[index] ?? 0),
          getElevation: (_cell, { index }) => heightOf(values[index] ?? 0) * maxHeightM,
          // Thin gaps between cells keep neighbouring classes apart.
          coverage: 0.92,
          stroked: false,
        }),
      );
    }
  }
  if (stores.length) {
    const position = (s: StoreMarker) => crs.wgs84ToMap([s.lng, s.lat]);
    layers.push(
      new ScatterplotLayer<StoreMarker>({
        id: 'store-radius',
        data: stores.filter((s) => s.id === selectedStoreId),
        getPosition: position,
        getRadius: (s) => s.radiusM,
        radiusUnits: 'meters',
        filled: false,
        stroked: true,
        getLineColor: STORE_RING,
        lineWidthMinPixels: 1,
        updateTriggers: { getPosition: crs.id },
      }),
      new ScatterplotLayer<StoreMarker>({
        id: 'stores',
        data: stores,
        getPosition: position,
        getRadius: 5,
        radiusUnits: 'pixels',
        getFillColor: STORE_FILL,
        getLineColor: [255, 255, 255, 255],
        stroked: true,
        lineWidthMinPixels: 1.5,
        updateTriggers: { getPosition: crs.id },
      }),
    );
  }
  if (outlines?.length) {
    layers.push(
      new PolygonLayer<CellOutline>({
        id: 'outlines',
        data: outlines,
        getPolygon: (o) => cellToMapRing(o.cell, crs),
        filled: false,
        stroked: true,
        getLineColor: (o) => o.color,
        lineWidthUnits: 'pixels',
        getLineWidth: 2.5,
        updateTriggers: { getPolygon: crs.id },
        // coplanar with the hexbins, like the selection outline below
        parameters: { depthCompare: 'always' },
      }),
    );
  }
  if (selectedCell) {
    layers.push(
      new PolygonLayer<LngLat[]>({
        id: 'selected-cell',
        data: [cellToMapRing(selectedCell, crs)],
        getPolygon: (ring) => ring,
        filled: false,
        stroked: true,
        getLineColor: SELECTED_LINE,
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        // Interleaved layers share MapLibre's depth buffer: the outline is coplanar with the
        // hexbins under it and would z-fight with them.
        parameters: { depthCompare: 'always' },
      }),
    );
  }
  return layers;
}

/** Outlines of the pulsing incidents' hexagons, widening and fading over PULSE_MS. */
function buildPulseLayer(pulses: readonly MapPulse[], resolution: number | null, crs: MapCrs, nowMs: number): Layer | null {
  if (resolution === null) return null;
  const live = pulses
    .map((p) => ({ ring: cellToMapRing(latLngToCell(p.lat, p.lng, resolution), crs), age: (nowMs - p.startedMs) / PULSE_MS }))
    .filter((p) => p.age >= 0 && p.age < 1);
  if (!live.length) return null;
  return new PolygonLayer<(typeof live)[number]>({
    id: 'pulses',
    data: live,
    getPolygon: (p) => p.ring,
    filled: false,
    stroked: true,
    getLineColor: (p) => [...PULSE_COLOR, Math.round(255 * (1 - p.age))],
    lineWidthUnits: 'pixels',
    getLineWidth: (p) => 2 + 6 * p.age,
    updateTriggers: { getLineColor: nowMs, getLineWidth: nowMs },
    parameters: { depthCompare: 'always' },
  });
}

/**
 * `panels`: the room the floating panels take (free-area.ts), and the box goes into the rest with a
 * margin; or `'landing'`: the fixed padding of lib/camera.ts, the one the boot module predicted the
 * first camera with (client/boot/first-screen.ts), so the landing view asks for no other hexbins.
 */
function fitTo(map: MapLibreMap, crs: MapCrs, [west, south, east, north]: Bbox, maxZoom: number, animate: boolean, panels: Padding | 'landing'): void {
  const sw = crs.wgs84ToMap([west, south]);
  const ne = crs.wgs84ToMap([east, north]);
  const { clientWidth: w, clientHeight: h } = map.getContainer();
  let padding: Padding;
  if (panels === 'landing') padding = fitPadding({ width: w, height: h });
  else {
    padding = { top: panels.top + FIT_MARGIN_PX, bottom: panels.bottom + FIT_MARGIN_PX, left: panels.left + FIT_MARGIN_PX, right: panels.right + FIT_MARGIN_PX };
    if (padding.left + padding.right >= w - 40 || padding.top + padding.bottom >= h - 40) {
      padding.left = padding.right = padding.top = padding.bottom = 10;
    }
  }
  map.fitBounds([sw, ne], { padding, maxZoom, animate, duration: animate ? 900 : 0 });
}
