import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLang, useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';
import type { MapMode, MapView, Metric } from '../../../lib/url-state.js';
import { useBasemap } from '../api/use-basemap.js';
import { useClientConfig } from '../api/use-client-config.js';
import { useClosureTarget } from '../api/use-closure-target.js';
import { useExposureRates } from '../api/use-exposure-rates.js';
import { useHexbins } from '../api/use-hexbins.js';
import type { HexbinView } from '../api/use-hexbins.js';
import { useHotspots } from '../api/use-hotspots.js';
import type { HotspotView } from '../api/use-hotspots.js';
import { useStores } from '../api/use-stores.js';
import { OFFLINE_BASEMAP } from '../basemaps.js';
import { snapBbox } from '../lib/bbox.js';
import { metricScale, metricValues } from '../lib/metrics.js';
import { zoomToResolution } from '../../../../server/domain/resolutions.js';
import { cellShareClosed } from '../../../../server/domain/closure.js';
import { muteSparse, RATE_METRICS, RATE_MIN_COUNT, withSparse } from '../lib/sparse-rates.js';
import { landingBounds } from '../lib/store-bounds.js';
import { hotspotResolution } from '../lib/hotspot-scale.js';
import { cellBounds } from '../lib/cell-bounds.js';
import { emptyCause } from '../lib/empty-advice.js';
import { hotspotLayer as buildHotspotLayer } from '../lib/hotspot-layer.js';
import { HexMap } from './hex-map.js';
import type { CameraRequest, CellOutline, MapPulse, StoreMarker } from './hex-map.js';
import { Legend } from './legend.js';

export interface MapSummary {
  /** Incidents matching the filters in the loaded box (null before the first answer). */
  total: number | null;
  loading: boolean;
  error: boolean;
}

export interface RiskMapProps {
  filters: IncidentFilters;
  metric: Metric;
  mode: MapMode;
  extruded: boolean;
  initialView: MapView | null;
  /** An alert link's cell (`?cell=` without a view): the first camera shows it instead of the stores. */
  focusCell?: string | null;
  selectedCell: string | null;
  camera: CameraRequest | null;
  onViewChange: (view: MapView) => void;
  onCellSelect: (cell: string) => void;
  onMetricChange: (metric: Metric) => void;
  onModeChange: (mode: MapMode) => void;
  onExtrudedChange: (extruded: boolean) => void;
  onSummary?: (summary: MapSummary) => void;
  /** New incidents to pulse briefly (live updates), WGS-84. */
  pulses?: readonly MapPulse[];
  /** Cells outlined above the hexbins (the app's countermeasure layer). */
  outlines?: readonly CellOutline[];
}

const NO_STORES: StoreMarker[] = [];
const NO_PULSES: MapPulse[] = [];
/** The panels floating over the map (styles.css, stats.css): the camera keeps cells out from under them. */
const PANEL_SELECTOR = '.hw-topbar, .hw-side, .hw-panel, .hw-legend, .hw-dashboard';

/** The risk map: hexbins of the filtered incidents in view coloured by a metric, stores, legend. */
export function RiskMap(props: RiskMapProps) {
  const { filters, metric, mode, extruded, initialView, focusCell, selectedCell, camera, onViewChange, onCellSelect, onSummary } = props;
  const t = useT();
  const [lang] = useLang();
  const [hexView, setHexView] = useState<HexbinView | null>(null);
  const hotspotView = useMemo<HotspotView | null>(
    () => (mode === 'hexbins' || !hexView ? null : { mode, resolution: hotspotResolution(hexView.resolution) }),
    [mode, hexView],
  );
  // Only one of the two queries is enabled at a time.
  const hexbins = useHexbins(filters, mode === 'hexbins' ? hexView : null);
  const hotspots = useHotspots(filters, hotspotView);
  const hotspotData = mode === 'hexbins' ? undefined : hotspots.data;
  const hotspotLayer = useMemo(() => (hotspotData ? buildHotspotLayer(hotspotData, t, lang) : null), [hotspotData, t, lang]);
  const query = mode === 'hexbins' ? hexbins : hotspots;
  const stores = useStores();
  const config = useClientConfig();
  const configured = useBasemap(config.data?.basemap);
  const [fallback, setFallback] = useState<string | null>(null);
  const [noticeHidden, setNoticeHidden] = useState(false);

  useEffect(() => {
    if (configured.isError) setFallback(configured.error.message);
  }, [configured.isError, configured.error]);
  const basemap = fallback !== null || config.isError ? OFFLINE_BASEMAP : configured.data;

  const handleViewChange = useCallback(
    (view: MapView, bounds: Bbox) => {
      const next: HexbinView = { resolution: zoomToResolution(view.zoom), bbox: snapBbox(bounds) };
      // Same key, same object: no new query, no re-render.
      setHexView((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
      onViewChange(view);
    },
    [onViewChange],
  );
  const onBasemapError = useCallback((message: string) => setFallback(message), []);

  const data = mode === 'hexbins' ? hexbins.data : undefined;
  // risk per delivery needs per-cell exposure: without any for the period, say so and show counts
  const rates = useExposureRates(filters, mode === 'hexbins' && metric === 'per1000' ? hexView : null);
  const noExposure = metric === 'per1000' && rates.isSuccess && rates.data.storesWithCellExposure === 0;
  const shown: Metric = noExposure ? 'count' : metric;
  const rate = RATE_METRICS.has(shown);
  const hexValues = useMemo(() => {
    if (!data) return [];
    const values = metricValues(data, shown, rates.data);
    return rate ? muteSparse(values, data.count) : values;
  }, [data, shown, rate, rates.data]);
  // the share-closed classes end at the settings' target; the default one until it has come
  const closureTarget = useClosureTarget().data?.target;
  const hexScale = useMemo(() => {
    const scale = metricScale(hexValues, shown, closureTarget);
    return rate ? withSparse(scale, t('map.sparse', { min: RATE_MIN_COUNT })) : scale;
  }, [hexValues, shown, rate, t, closureTarget]);
  // What the hot-spot modes count, when it is not what the filter line says (issue 19).
  const scope = hotspotData ? (hotspotData.mode === 'emerging' ? t('map.scope.emerging', { weeks: hotspotData.weeks }) : t('map.scope.gi')) : null;
  const storeMarkers = stores.data ?? NO_STORES;
  // The filter's one store, or a manager's only store: the one delivery radius worth drawing.
  const selectedStoreId = filters.storeIds?.length === 1 ? filters.storeIds[0]! : storeMarkers.length === 1 ? storeMarkers[0]!.id : null;
  const focusBounds = useMemo(() => (focusCell ? cellBounds(focusCell) : null), [focusCell]);
  const storeBounds = useMemo(() => landingBounds(stores.data ?? []), [stores.data]);
  const fallbackBounds = focusBounds ?? storeBounds;

  const total = hotspotLayer ? hotspotLayer.total : (data?.total ?? null);
  useEffect(() => {
    onSummary?.({ total: query.isPlaceholderData ? null : total, loading: query.isFetching, error: query.isError });
  }, [onSummary, total, query.isFetching, query.isError, query.isPlaceholderData]);

  const hexTooltip = useCallback(
    (i: number) => {
      if (!data) return '';
      const count = data.count[i] ?? 0;
      const closed = data.closed[i] ?? 0;
      return t('map.tooltip', {
        count,
        weighted: data.weighted[i] ?? 0,
        open: data.open[i] ?? 0,
        overdue: data.overdue[i] ?? 0,
        closed,
        rate: Math.round((cellShareClosed(closed, count) ?? 0) * 100),
      });
    },
    [data, t],
  );

  // Without a view in the URL the first camera comes from the alert's cell or the stores: wait
  // for them rather than load a default city and jump. The basemap waits for the server's configuration.
  const waiting = (!initialView && !focusBounds && stores.isPending) || !basemap;
  const empty = query.isSuccess && !query.isFetching && total === 0;
  // advice that fits why nothing shows (issue 19): the chosen store elsewhere, filters, or no data
  const chosenStore = filters.storeIds?.length === 1 ? (storeMarkers.find((s) => s.id === filters.storeIds![0]) ?? null) : null;
  const emptyKey = `map.empty.${emptyCause(filters, chosenStore, hexView?.bbox ?? null)}` as const;

  return (
    <>
      {waiting ? (
        <div className="hw-map hw-map--loading" data-testid="map-pending">
          {t('map.loading')}
        </div>
      ) : (
        <HexMap
          basemap={basemap}
          onBasemapError={onBasemapError}
          initialView={initialView}
          fallbackBounds={fallbackBounds}
          camera={camera}
          mode={mode}
          hexbins={hotspotLayer ? hotspotLayer.columns : data}
          values={hotspotLayer ? hotspotLayer.values : hexValues}
          colorOf={hotspotLayer ? hotspotLayer.colorOf : hexScale.colorOf}
          heightOf={hotspotLayer ? hotspotLayer.heightOf : hexScale.heightOf}
          extruded={extruded}
          loading={query.isFetching}
          selectedCell={selectedCell}
          stores={storeMarkers}
          selectedStoreId={selectedStoreId}
          panelSelector={PANEL_SELECTOR}
          outlines={props.outlines}
          onViewChange={handleViewChange}
          onCellClick={onCellSelect}
          tooltip={hotspotLayer ? hotspotLayer.tooltip : hexTooltip}
          pulses={props.pulses ?? NO_PULSES}
        />
      )}
      <Legend
        mode={mode}
        metric={metric}
        title={hotspotLayer ? hotspotLayer.title : mode === 'hexbins' ? t(`metric.${shown}.legend` as MessageKey) : t(`mode.${mode}` as MessageKey)}
        classes={hotspotLayer ? hotspotLayer.classes : mode === 'hexbins' ? hexScale.classes : []}
        emptyText={mode === 'hexbins' ? t('map.legendEmpty') : t('hotspot.emptyLegend')}
        total={total ?? 0}
        scope={scope}
        resolution={hotspotLayer ? hotspotLayer.columns.resolution : (data?.resolution ?? null)}
        loading={query.isFetching}
        extruded={extruded}
        onModeChange={props.onModeChange}
        onMetricChange={props.onMetricChange}
        onExtrudedChange={props.onExtrudedChange}
      />
      <div className="hw-notices">
        {fallback !== null && !noticeHidden && (
          <div className="hw-notice" role="status" data-testid="basemap-fallback">
            {t('basemap.fallback', { kind: t(`basemap.kind.${config.data?.basemap.kind ?? 'offline'}` as MessageKey) })}
            <button type="button" className="hw-button hw-button--ghost" aria-label={t('common.close')} onClick={() => setNoticeHidden(true)}>
              ✕
            </button>
          </div>
        )}
        {mode === 'hexbins' && noExposure && (
          <div className="hw-notice" role="status" data-testid="map-no-exposure">
            {t('map.noCellExposure')}
          </div>
        )}
        {empty && (
          <div className="hw-notice" role="status" data-testid="map-empty" data-cause={emptyKey.slice('map.empty.'.length)}>
            {t(emptyKey)}
          </div>
        )}
        {query.isError && (
          <div className="hw-notice hw-error" role="alert" data-testid="map-error">
            {t('map.error')} {query.error.message}{' '}
            <button type="button" className="hw-button" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </button>
          </div>
        )}
      </div>
    </>
  );
}
