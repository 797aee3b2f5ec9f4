import { useCallback, useEffect, useMemo, useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';
import type { MapView, Metric } from '../../../lib/url-state.js';
import { useBasemap } from '../api/use-basemap.js';
import { useClientConfig } from '../api/use-client-config.js';
import { useHexbins } from '../api/use-hexbins.js';
import type { HexbinView } from '../api/use-hexbins.js';
import { useStores } from '../api/use-stores.js';
import { OFFLINE_BASEMAP } from '../basemaps.js';
import { snapBbox } from '../lib/bbox.js';
import { metricScale, metricValues } from '../lib/metrics.js';
import { zoomToResolution } from '../lib/resolution.js';
import { landingBounds } from '../lib/store-bounds.js';
import { HexMap } from './hex-map.js';
import type { CameraRequest, StoreMarker } from './hex-map.js';
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
  extruded: boolean;
  initialView: MapView | null;
  selectedCell: string | null;
  camera: CameraRequest | null;
  onViewChange: (view: MapView) => void;
  onCellSelect: (cell: string) => void;
  onMetricChange: (metric: Metric) => void;
  onExtrudedChange: (extruded: boolean) => void;
  onSummary?: (summary: MapSummary) => void;
}

const NO_STORES: StoreMarker[] = [];

/** The risk map: hexbins of the filtered incidents in view coloured by a metric, stores, legend. */
export function RiskMap(props: RiskMapProps) {
  const { filters, metric, extruded, initialView, selectedCell, camera, onViewChange, onCellSelect, onSummary } = props;
  const t = useT();
  const [hexView, setHexView] = useState<HexbinView | null>(null);
  const hexbins = useHexbins(filters, hexView);
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

  const data = hexbins.data;
  const values = useMemo(() => (data ? metricValues(data, metric) : []), [data, metric]);
  const scale = useMemo(() => metricScale(values, metric), [values, metric]);
  const storeMarkers = stores.data ?? NO_STORES;
  const fallbackBounds = useMemo(() => landingBounds(stores.data ?? []), [stores.data]);

  const total = data?.total ?? null;
  useEffect(() => {
    onSummary?.({ total: hexbins.isPlaceholderData ? null : total, loading: hexbins.isFetching, error: hexbins.isError });
  }, [onSummary, total, hexbins.isFetching, hexbins.isError, hexbins.isPlaceholderData]);

  const tooltip = useCallback(
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
        rate: count > 0 ? Math.round((closed / count) * 100) : 0,
      });
    },
    [data, t],
  );

  // Without a view in the URL the first camera comes from the stores: wait for them rather
  // than load a default city and jump. The basemap waits for the server's configuration.
  const waiting = (!initialView && stores.isPending) || !basemap;
  const empty = hexbins.isSuccess && !hexbins.isFetching && data?.total === 0;

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
          hexbins={data}
          values={values}
          colorOf={scale.colorOf}
          heightOf={scale.heightOf}
          extruded={extruded}
          loading={hexbins.isFetching}
          selectedCell={selectedCell}
          stores={storeMarkers}
          onViewChange={handleViewChange}
          onCellClick={onCellSelect}
          tooltip={tooltip}
        />
      )}
      <Legend
        metric={metric}
        classes={scale.classes}
        total={total ?? 0}
        resolution={data?.resolution ?? null}
        loading={hexbins.isFetching}
        extruded={extruded}
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
        {empty && (
          <div className="hw-notice" role="status" data-testid="map-empty">
            {t('map.empty')}
          </div>
        )}
        {hexbins.isError && (
          <div className="hw-notice hw-error" role="alert" data-testid="map-error">
            {t('map.error')} {hexbins.error.message}{' '}
            <button type="button" className="hw-button" onClick={() => void hexbins.refetch()}>
              {t('common.retry')}
            </button>
          </div>
        )}
      </div>
    </>
  );
}
