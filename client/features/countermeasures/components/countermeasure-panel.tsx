import { useT } from '../../../i18n/i18n.js';
import { useEvaluation } from '../api/use-countermeasures.js';
import type { Evaluation } from '../api/use-countermeasures.js';
import { formatP, formatRatio, ratioAsChange, verdictCss } from '../lib/verdict.js';
import { useCmT } from '../strings.js';
import type { CmKey, CmTranslate } from '../strings.js';

export interface CountermeasurePanelProps {
  id: number;
  onClose: () => void;
}

/** A countermeasure, its verdict and the before/after chart. */
export function CountermeasurePanel({ id, onClose }: CountermeasurePanelProps) {
  const t = useCmT();
  const tApp = useT();
  const query = useEvaluation(id);
  const e = query.data;
  return (
    <aside className="hw-panel" data-testid="countermeasure-panel" data-countermeasure-id={id} aria-label={t('cm.panelTitle')}>
      <header className="hw-panel__header">
        <div>
          <h2 className="hw-panel__title" data-testid="cm-panel-title">
            {e ? e.countermeasure.title : t('cm.panelTitle')}
          </h2>
          {e && (
            <p className="hw-muted">
              {t('cm.meta', {
                kind: t(`cm.kind.${e.countermeasure.kind}` as CmKey),
                start: e.countermeasure.startDate,
                owner: e.countermeasure.owner,
                store: `${e.countermeasure.storeCode} ${e.countermeasure.storeName}`,
              })}
            </p>
          )}
        </div>
        <button type="button" className="hw-button hw-button--ghost" data-testid="cm-panel-close" aria-label={tApp('common.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      {query.isPending && <p className="hw-panel__state">{tApp('common.loading')}</p>}
      {query.isError && (
        <p className="hw-panel__state hw-error" role="alert">
          {query.error.message}{' '}
          <button type="button" className="hw-button" onClick={() => void query.refetch()}>
            {tApp('common.retry')}
          </button>
        </p>
      )}
      {e && (
        <div className="hw-cm-panel">
          <p>
            <span className="hw-cm-verdict" data-testid="cm-verdict" data-verdict={e.verdict} style={{ background: verdictCss(e.verdict) }}>
              {t(`cm.verdict.${e.verdict}` as CmKey)}
            </span>{' '}
            <span className="hw-muted">{e.meaning}</span>
          </p>
          <BeforeAfterChart evaluation={e} t={t} />
          <p data-testid="cm-ratio">
            {e.rateRatio === null
              ? t('cm.ratioNone')
              : t('cm.ratio', { ratio: formatRatio(e.rateRatio), change: ratioAsChange(e.rateRatio), lo: formatRatio(e.ci95[0]), hi: formatRatio(e.ci95[1]), p: formatP(e.pValue) })}
          </p>
          <p className="hw-muted">{t(e.basis === 'deliveries' ? 'cm.basis.deliveries' : 'cm.basis.weeks')}</p>
          {e.countermeasure.note && <p>{e.countermeasure.note}</p>}
        </div>
      )}
    </aside>
  );
}

/** Two bars, before and after, scaled to the larger; the label gives counts, weeks and the rate. */
function BeforeAfterChart({ evaluation: e, t }: { evaluation: Evaluation; t: CmTranslate }) {
  const rows = [
    { key: 'before' as const, w: e.before },
    { key: 'after' as const, w: e.after },
  ];
  const rate = (w: Evaluation['before']) =>
    e.basis === 'deliveries' && w.exposure ? (1000 * w.incidents) / w.exposure : w.weeks > 0 ? w.incidents / w.weeks : 0;
  const max = Math.max(...rows.map((r) => rate(r.w)), 1e-9);
  const W = 260;
  return (
    <figure className="hw-cm-chart" data-testid="cm-chart" aria-label={t('cm.chart')}>
      <svg width="100%" viewBox={`0 0 ${W + 90} 70`} role="img" aria-label={t('cm.chart')}>
        {rows.map((r, i) => {
          const width = (rate(r.w) / max) * W;
          return (
            <g key={r.key} transform={`translate(0, ${i * 34})`}>
              <text x={0} y={18} fontSize={12}>
                {t(r.key === 'before' ? 'cm.before' : 'cm.after')}
              </text>
              <rect x={60} y={4} width={Math.max(width, 1)} height={20} fill={r.key === 'before' ? '#94a3b8' : verdictCss(e.verdict)} data-testid={`cm-bar-${r.key}`} data-incidents={r.w.incidents} />
              <text x={66 + width} y={18} fontSize={12}>
                {r.w.incidents}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="hw-muted">
        {rows.map((r) => (
          <span key={r.key} data-testid={`cm-window-${r.key}`}>
            {t(r.key === 'before' ? 'cm.before' : 'cm.after')}:{' '}
            {r.w.exposure !== undefined && e.basis === 'deliveries'
              ? t('cm.windowExposure', { incidents: r.w.incidents, weeks: r.w.weeks.toFixed(1), exposure: r.w.exposure.toLocaleString() })
              : t('cm.window', { incidents: r.w.incidents, weeks: r.w.weeks.toFixed(1) })}
            {' · '}
            {e.basis === 'deliveries' ? t('cm.perThousand', { rate: rate(r.w).toFixed(2) }) : t('cm.perWeek', { rate: rate(r.w).toFixed(2) })}
            <br />
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
