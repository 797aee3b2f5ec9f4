import { useT } from '../../../i18n/i18n.js';
import { breakLabels } from '../lib/color-scale.js';
import type { Rgba } from '../lib/color-scale.js';

export interface LegendProps {
  breaks: number[];
  colors: Rgba[];
  max: number;
  total: number;
  resolution: number | null;
  loading: boolean;
}

export function Legend({ breaks, colors, max, total, resolution, loading }: LegendProps) {
  const t = useT();
  const labels = breakLabels(breaks, max);
  return (
    <section className="hw-legend" data-testid="legend" aria-live="polite">
      <h2 className="hw-legend__title">{t('map.legendTitle')}</h2>
      {breaks.length === 0 ? (
        <p className="hw-muted">{loading ? t('map.loading') : t('map.legendEmpty')}</p>
      ) : (
        <ul className="hw-legend__classes">
          {labels.map((label, i) => (
            <li key={label}>
              <span className="hw-legend__swatch" style={{ background: rgbaCss(colors[i]) }} aria-hidden="true" />
              {label}
            </li>
          ))}
        </ul>
      )}
      <p className="hw-legend__meta">
        {t('map.total', { total })}
        {resolution !== null && <> · {t('map.resolution', { resolution })}</>}
        {loading && <span className="hw-spinner" data-testid="map-loading" aria-label={t('map.loading')} />}
      </p>
    </section>
  );
}

function rgbaCss(c: Rgba | undefined): string {
  return c ? `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})` : 'transparent';
}
