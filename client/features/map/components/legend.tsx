import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { METRICS } from '../../../lib/url-state.js';
import type { Metric } from '../../../lib/url-state.js';
import type { Rgba } from '../lib/color-scale.js';

export interface LegendProps {
  metric: Metric;
  classes: Array<{ label: string; color: Rgba }>;
  total: number;
  resolution: number | null;
  loading: boolean;
  extruded: boolean;
  onMetricChange: (metric: Metric) => void;
  onExtrudedChange: (extruded: boolean) => void;
}

/** What the colours mean, the colour metric and the 3-D switch. */
export function Legend({ metric, classes, total, resolution, loading, extruded, onMetricChange, onExtrudedChange }: LegendProps) {
  const t = useT();
  return (
    <section className="hw-legend" data-testid="legend" aria-live="polite">
      <div className="hw-legend__controls">
        <label className="hw-legend__metric">
          <span className="hw-visually-hidden">{t('metric.label')}</span>
          <select data-testid="metric" value={metric} onChange={(e) => onMetricChange(e.target.value as Metric)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`metric.${m}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="hw-check">
          <input type="checkbox" data-testid="extrude" checked={extruded} onChange={(e) => onExtrudedChange(e.target.checked)} />
          {t('map.extrude')}
        </label>
      </div>
      <h2 className="hw-legend__title">{t(`metric.${metric}.legend` as MessageKey)}</h2>
      {classes.length === 0 ? (
        <p className="hw-muted">{loading ? t('map.loading') : t('map.legendEmpty')}</p>
      ) : (
        <ul className="hw-legend__classes" data-testid="legend-classes">
          {classes.map(({ label, color }) => (
            <li key={label}>
              <span className="hw-legend__swatch" style={{ background: rgbaCss(color) }} aria-hidden="true" />
              {label}
            </li>
          ))}
        </ul>
      )}
      <p className="hw-legend__meta">
        <span data-testid="map-total">{t('map.total', { total })}</span>
        {resolution !== null && <> · {t('map.resolution', { resolution })}</>}
        {loading && <span className="hw-spinner" data-testid="map-loading" aria-label={t('map.loading')} />}
      </p>
    </section>
  );
}

function rgbaCss(c: Rgba): string {
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})`;
}
