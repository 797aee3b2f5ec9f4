/**
 * All imperative map code lives here: the MapLibre map, the deck.gl overlay (interleaved, so
 * hexagons sit under the map's labels and share its WebGL context) and their events.
 * Layers are rebuilt from props on every render and handed to the overlay with `setProps`.
 */
import { useEffect, useMemo, useRef } from 'react';
import { Map as MapLibreMap, AttributionControl, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { H3HexagonLayer } from '@deck.gl/geo-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { cellToLatLng } from 'h3-js';
import type { Bbox } from '../../../lib/filters.js';
import type { MapView } from '../../../lib/url-state.js';
import type { Rgba } from '../lib/color-scale.js';
import { setTestHook } from '../lib/test-hook.js';

// Vite bundles the worker as a separate asset; MapLibre must be told where it went.
setWorkerUrl(workerUrl);

/** Fuzhou, where the demo data starts, when neither the URL nor the stores say where to look. */
const DEFAULT_VIEW: MapView = { lat: 26.08, lng: 119.3, zoom: 10 };
const SELECTED_LINE: Rgba = [15, 23, 42, 255];
const STORE_FILL: Rgba = [37, 99, 235, 255];
const STORE_RING: Rgba = [37, 99, 235, 90];

/** Columnar hexbins as the server sends them: index i of every array is one cell. */
export interface HexColumns {
  resolution: number;
  cells: string[];
  count: number[];
  open: number[];
  closed: number[];
  overdue: number[];
}

export interface StoreMarker {
  id: number;
  name: string;
  lat: number;
  lng: number;
  radiusM: number;
}

export interface HexMapProps {
  style: StyleSpecification | string;
  initialView: MapView | null;
  /** Where to look when the URL gives no view (e.g. the user's stores); applied until the user moves. */
  fallbackBounds: Bbox | null;
  hexbins: HexColumns | undefined;
  /** A newer answer is on its way (the drawn one is kept meanwhile). */
  loading: boolean;
  colorOf: (count: number) => Rgba;
  selectedCell: string | null;
  stores: StoreMarker[];
  /** Fired when the camera comes to rest, with the visible box. */
  onViewChange: (view: MapView, bounds: Bbox) => void;
  onCellClick: (cell: string) => void;
  tooltip: (index: number) => string;
}

export function HexMap(props: HexMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapLibreOverlay | null>(null);
  const userMovedRef = useRef(false);
  // Event handlers registered once read the latest props through this ref.
  const propsRef = useRef(props);
  propsRef.current = props;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const start = props.initialView ?? DEFAULT_VIEW;
    const map = new MapLibreMap({
      container,
      style: props.style,
      center: [start.lng, start.lat],
      zoom: start.zoom,
      attributionControl: false,
      // Rotation adds little to a hexbin map and confuses phone users.
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    if (!props.initialView && props.fallbackBounds) fitTo(map, props.fallbackBounds, false);

    const overlay = new MapLibreOverlay({ interleaved: true, layers: [] });
    map.addControl(overlay);
    mapRef.current = map;
    overlayRef.current = overlay;

    const emitView = () => {
      const c = map.getCenter();
      const b = map.getBounds();
      propsRef.current.onViewChange({ lat: c.lat, lng: c.lng, zoom: map.getZoom() }, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
    };
    map.on('load', emitView);
    map.on('moveend', emitView);
    map.on('movestart', (e) => {
      if ((e as { originalEvent?: unknown }).originalEvent) userMovedRef.current = true;
    });

    let draws = 0;
    setTestHook({
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
      cells: () => {
        const h = propsRef.current.hexbins;
        if (!h) return [];
        return h.cells.map((cell, i) => ({ cell, count: h.count[i] ?? 0 })).sort((a, b) => b.count - a.count);
      },
      cellToScreen: (cell) => {
        try {
          const [lat, lng] = cellToLatLng(cell);
          const p = map.project([lng, lat]);
          return [p.x, p.y];
        } catch {
          return null;
        }
      },
      view: () => ({ lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom() }),
      idle: () => map.loaded() && !map.isMoving(),
    });
    overlay.setProps({ onAfterRender: () => void draws++ });

    return () => {
      setTestHook(undefined);
      overlayRef.current = null;
      mapRef.current = null;
      map.remove();
    };
    // The map is created once; later prop changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Style switches (basemap choice or fallback); deck.gl layers survive them.
  useEffect(() => {
    const map = mapRef.current;
    if (map && props.style !== undefined) map.setStyle(props.style);
    // Only on a real change, not on the first render (the constructor already set it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typeof props.style === 'string' ? props.style : JSON.stringify(props.style)]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && props.fallbackBounds && !props.initialView && !userMovedRef.current) fitTo(map, props.fallbackBounds, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.fallbackBounds?.join(',')]);

  const layers = useMemo(
    () => buildLayers(props),
    [props.hexbins, props.colorOf, props.selectedCell, props.stores, props.onCellClick],
  );

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

  return <div ref={containerRef} className="hw-map" data-testid="map" />;
}

function buildLayers({ hexbins, colorOf, selectedCell, stores, onCellClick }: HexMapProps): Layer[] {
  const layers: Layer[] = [];
  if (hexbins) {
    const { cells, count } = hexbins;
    layers.push(
      new H3HexagonLayer<string>({
        id: 'hexbins',
        data: cells,
        getHexagon: (cell) => cell,
        getFillColor: (_cell, { index }) => colorOf(count[index] ?? 0),
        updateTriggers: { getFillColor: [colorOf, count] },
        // Thin gaps between cells keep neighbouring classes apart.
        coverage: 0.92,
        opacity: 0.78,
        extruded: false,
        stroked: false,
        pickable: true,
        autoHighlight: true,
        highlightColor: [15, 23, 42, 60],
        onClick: ({ index }) => {
          const cell = cells[index];
          if (cell) onCellClick(cell);
          return true;
        },
      }),
    );
  }
  if (stores.length) {
    layers.push(
      new ScatterplotLayer<StoreMarker>({
        id: 'store-radius',
        data: stores,
        getPosition: (s) => [s.lng, s.lat],
        getRadius: (s) => s.radiusM,
        radiusUnits: 'meters',
        filled: false,
        stroked: true,
        getLineColor: STORE_RING,
        lineWidthMinPixels: 1,
      }),
      new ScatterplotLayer<StoreMarker>({
        id: 'stores',
        data: stores,
        getPosition: (s) => [s.lng, s.lat],
        getRadius: 5,
        radiusUnits: 'pixels',
        getFillColor: STORE_FILL,
        getLineColor: [255, 255, 255, 255],
        stroked: true,
        lineWidthMinPixels: 1.5,
      }),
    );
  }
  if (selectedCell) {
    layers.push(
      new H3HexagonLayer<string>({
        id: 'selected-cell',
        data: [selectedCell],
        getHexagon: (cell) => cell,
        highPrecision: true,
        filled: false,
        stroked: true,
        extruded: false,
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

function fitTo(map: MapLibreMap, [west, south, east, north]: Bbox, animate: boolean): void {
  map.fitBounds(
    [
      [west, south],
      [east, north],
    ],
    // Room for the top bar and the legend; stores' delivery rings reach ~3 km past their markers.
    { padding: { top: 80, bottom: 60, left: 60, right: 60 }, maxZoom: 13, animate },
  );
}
