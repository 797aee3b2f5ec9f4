import { useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { MAP_MODES, METRICS } from '../../../lib/url-state.js';
import type { MapMode, Metric } from '../../../lib/url-state.js';
import type { Rgba } from '../lib/color-scale.js';

export interface LegendClass {
  label: string;
  color: Rgba;
  /** What the class means in plain words (hot-spot modes). */
  meaning?: string;
}

export interface LegendProps {
  mode: MapMode;
  metric: Metric;
  /** The heading: the metric's, or the hot-spot mode's. */
  title: string;
  classes: LegendClass[];
  /** Shown instead of the classes when there are none. */
  emptyText: string;
  total: number;
  /** What the counts cover when it differs from the filter (the hot-spot modes' window). */
  scope?: string | null;
  resolution: number | null;
  loading: boolean;
  extruded: boolean;
  onModeChange: (mode: MapMode) => void;
  onMetricChange: (metric: Metric) => void;
  onExtrudedChange: (extruded: boolean) => void;
}

/** Phones open with the legend folded: it took a third of the map (issue 19). */
const FOLDED_QUERY = '(max-width: 640px)';

/**
 * What the colours mean, the map mode, the colour metric (hexbins) and the 3-D switch;
 * foldable to its title. A meaning shared by neighbouring classes is said once.
 */
export function Legend(props: LegendProps) {
  const { mode, metric, title, classes, emptyText, total, scope, resolution, loading, extruded, onModeChange, onMetricChange, onExtrudedChange } = props;
  const t = useT();
  const [open, setOpen] = useState(() => !window.matchMedia(FOLDED_QUERY).matches);
  const head = (
    <div className="hw-legend__head">
      <h2 className="hw-legend__title" data-testid="legend-title">{title}</h2>
      <button
        type="button"
        className="hw-button hw-button--ghost hw-legend__toggle"
        data-testid="legend-toggle"
        aria-expanded={open}
        aria-label={open ? t('map.legendHide') : t('map.legendShow')}
        title={open ? t('map.legendHide') : t('map.legendShow')}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? '▾' : '▸'}
      </button>
    </div>
  );
  if (!open) {
    return (
      <section className="hw-legend hw-legend--folded" data-testid="legend" aria-live="polite">
        {head}
      </section>
    );
  }
  return (
    <section className="hw-legend" data-testid="legend" aria-live="polite">
      {head}
      <div className="hw-legend__controls">
        <label className="hw-legend__metric">
          <span className="hw-visually-hidden">{t('mode.label')}</span>
          <select data-testid="map-mode" value={mode} onChange={(e) => onModeChange(e.target.value as MapMode)}>
            {MAP_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`mode.${m}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="hw-legend__controls">
        {mode === 'hexbins' && (
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
        )}
        <label className="hw-check">
          <input type="checkbox" data-testid="extrude" checked={extruded} onChange={(e) => onExtrudedChange(e.target.checked)} />
          {t('map.extrude')}
        </label>
      </div>
      {classes.length === 0 ? (
        <p className="hw-muted">{loading ? t('map.loading') : emptyText}</p>
      ) : (
        <ul className="hw-legend__classes" data-testid="legend-classes" data-mode={mode}>
          {classes.map(({ label, color, meaning }, i) => (
            <li key={label} title={meaning}>
              <span className="hw-legend__swatch" style={{ background: rgbaCss(color) }} aria-hidden="true" />
              {meaning ? (
                <span className="hw-legend__class">
                  <span data-testid="legend-class-label">{label}</span>
                  {meaning !== classes[i - 1]?.meaning && (
                    <small className="hw-legend__meaning" data-testid="legend-class-meaning">{meaning}</small>
                  )}
                </span>
              ) : (
                label
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="hw-legend__meta">
        {scope && <span data-testid="map-scope">{scope} · </span>}
        {/* the hot-spot modes count the whole filter (or their weeks), not the loaded area */}
        <span data-testid="map-total">{t(scope ? 'map.scopeTotal' : 'map.total', { total: total.toLocaleString() })}</span>
        {resolution !== null && <> · {t('map.resolution', { resolution })}</>}
        {loading && <span className="hw-spinner" data-testid="map-loading" aria-label={t('map.loading')} />}
      </p>
    </section>
  );
}

function rgbaCss(c: Rgba): string {
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})`;
}
