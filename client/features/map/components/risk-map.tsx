import { useCallback, useMemo, useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { Bbox, IncidentFilters } from '../../../lib/filters.js';
import type { MapView } from '../../../lib/url-state.js';
import { useHexbins } from '../api/use-hexbins.js';
import type { HexbinView } from '../api/use-hexbins.js';
import { useStores } from '../api/use-stores.js';
import { configuredBasemap } from '../basemaps.js';
import { snapBbox } from '../lib/bbox.js';
import { colorScale } from '../lib/color-scale.js';
import { zoomToResolution } from '../lib/resolution.js';
import { HexMap } from './hex-map.js';
import type { StoreMarker } from './hex-map.js';
import { Legend } from './legend.js';

export interface RiskMapProps {
  filters: IncidentFilters;
  initialView: MapView | null;
  selectedCell: string | null;
  onViewChange: (view: MapView) => void;
  onCellSelect: (cell: string) => void;
}

const NO_STORES: Array<StoreMarker & { cityId: number }> = [];

/** The risk map: hexbins of the filtered incidents in view, stores, legend. */
export function RiskMap({ filters, initialView, selectedCell, onViewChange, onCellSelect }: RiskMapProps) {
  const t = useT();
  const [hexView, setHexView] = useState<HexbinView | null>(null);
  const hexbins = useHexbins(filters, hexView);
  const stores = useStores();
  const style = useMemo(() => configuredBasemap.style(), []);

  const handleViewChange = useCallback(
    (view: MapView, bounds: Bbox) => {
      const next: HexbinView = { resolution: zoomToResolution(view.zoom), bbox: snapBbox(bounds) };
      // Same key, same object: no new query, no re-render.
      setHexView((prev) => (prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
      onViewChange(view);
    },
    [onViewChange],
  );

  const data = hexbins.data;
  const scale = useMemo(() => colorScale(data?.count ?? []), [data]);
  const storeMarkers = stores.data ?? NO_STORES;
  const fallbackBounds = useMemo(() => boundsOf(storeMarkers), [storeMarkers]);

  const tooltip = useCallback(
    (i: number) =>
      data
        ? t('map.tooltip', {
            count: data.count[i] ?? 0,
            open: data.open[i] ?? 0,
            overdue: data.overdue[i] ?? 0,
            closed: data.closed[i] ?? 0,
          })
        : '',
    [data, t],
  );

  // Without a view in the URL the first camera comes from the stores: wait for them rather
  // than load a default city and jump.
  const waitingForStores = !initialView && stores.isPending;

  return (
    <>
      {waitingForStores ? (
        <div className="hw-map" data-testid="map-pending" />
      ) : (
      <HexMap
        style={style}
        initialView={initialView}
        fallbackBounds={fallbackBounds}
        hexbins={data}
        loading={hexbins.isFetching}
        colorOf={scale.colorOf}
        selectedCell={selectedCell}
        stores={storeMarkers}
        onViewChange={handleViewChange}
        onCellClick={onCellSelect}
        tooltip={tooltip}
      />
      )}
      <Legend
        breaks={scale.breaks}
        colors={scale.colors}
        max={data?.max ?? 0}
        total={data?.total ?? 0}
        resolution={data?.resolution ?? null}
        loading={hexbins.isFetching}
      />
      {hexbins.isError && (
        <div className="hw-toast hw-error" role="alert" data-testid="map-error">
          {t('map.error')} {hexbins.error.message}{' '}
          <button type="button" className="hw-button" onClick={() => void hexbins.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
    </>
  );
}

/** Where to look first: the stores of the city with the most of them (a manager's own stores). */
function boundsOf(stores: Array<StoreMarker & { cityId: number }>): Bbox | null {
  if (stores.length === 0) return null;
  const perCity = new Map<number, number>();
  for (const s of stores) perCity.set(s.cityId, (perCity.get(s.cityId) ?? 0) + 1);
  const [cityId] = [...perCity].sort((a, b) => b[1] - a[1])[0]!;
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const s of stores) {
    if (s.cityId !== cityId) continue;
    west = Math.min(west, s.lng);
    east = Math.max(east, s.lng);
    south = Math.min(south, s.lat);
    north = Math.max(north, s.lat);
  }
  return [west, south, east, north];
}
