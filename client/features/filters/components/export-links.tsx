import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';

export interface ExportLinksProps {
  /** The filter the map shows (time range included): the export has the same rows. */
  filters: IncidentFilters;
  /** Resolution of the exported hexagons (the map's current one). */
  resolution: number;
}

/** Downloads of the current filter: every incident as CSV, the hexagons as GeoJSON (server/api/export.ts). */
export function ExportLinks({ filters, resolution }: ExportLinksProps) {
  const t = useT();
  const query = `filters=${encodeURIComponent(JSON.stringify(filters))}`;
  return (
    <p className="hw-export" data-testid="export-links">
      <span>{t('export.title')}</span>
      <a className="hw-button" data-testid="export-csv" href={`/api/v1/export/incidents.csv?${query}`} download>
        CSV
      </a>
      <a className="hw-button" data-testid="export-geojson" href={`/api/v1/export/hexbins.geojson?resolution=${resolution}&${query}`} download>
        GeoJSON
      </a>
    </p>
  );
}
