import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { useBulkConfirm, useReviewQueue, useThreshold, useTrustFigures } from '../api/use-ai-trust.js';
import { useTrustT } from '../strings.js';

export interface AiTrustCardProps {
  /** Store managers, analysts and admins may confirm in bulk; viewers only read. */
  canConfirm: boolean;
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 1000) / 10} %`);
const hours = (x: number | null) => (x === null ? '–' : x < 10 ? x.toFixed(1) : String(Math.round(x)));

/** Per AI category: confirm rate, review time, backlog; the suggested threshold; bulk confirmation; the queue's head. */
export function AiTrustCard({ canConfirm }: AiTrustCardProps) {
  const t = useT();
  const tt = useTrustT();
  const figures = useTrustFigures();
  const threshold = useThreshold();
  const bulkAt = threshold.data?.bulkThreshold ?? null;
  const confirmable = useReviewQueue(1, bulkAt ?? 1);
  const head = useReviewQueue(5);
  const bulk = useBulkConfirm();
  const rows = figures.data?.byCategory ?? [];
  // the breakdown by model version only when the pipeline sent versions
  const modelRows = figures.data?.byModel ?? [];
  const versioned = modelRows.some((r) => r.modelVersion !== null);
  const suggested = threshold.data?.suggested;

  return (
    <section className="hw-alerts" data-testid="ai-trust" data-state={figures.isPending ? 'loading' : figures.isError ? 'error' : 'ready'} aria-label={tt('trust.title')}>
      <header className="hw-alerts__head">
        <h3 className="hw-alerts__title">{tt('trust.title')}</h3>
      </header>
      {figures.isError && <p className="hw-error" role="alert">{figures.error.message}</p>}
      {figures.isSuccess && rows.length === 0 && <p className="hw-muted">{tt('trust.empty')}</p>}
      {rows.length > 0 && (
        <div className="hw-ranking__scroll">
          <table className="hw-ranking" data-testid="ai-trust-table">
            <thead>
              <tr>
                <th scope="col">{tt('trust.category')}</th>
                <th scope="col">{tt('trust.detections')}</th>
                <th scope="col">{tt('trust.confirmRate')}</th>
                <th scope="col">{tt('trust.reviewTime')}</th>
                <th scope="col">{tt('trust.pending')}</th>
                <th scope="col">{tt('trust.oldest')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.category} data-testid="ai-trust-row" data-category={r.category} data-pending={r.pending} data-confirm-rate={r.confirmRate ?? ''}>
                  <th scope="row">{t(`category.${r.category}` as MessageKey)}</th>
                  <td>{r.detections.toLocaleString()}</td>
                  <td>{pct(r.confirmRate)}</td>
                  <td title={tt('trust.samples', { n: r.reviewTimeSamples })}>{r.meanReviewHours === null ? '–' : tt('trust.hours', { h: hours(r.meanReviewHours) })}</td>
                  <td>{r.pending.toLocaleString()}</td>
                  <td>{r.backlogOldestHours === null ? '–' : tt('trust.hours', { h: hours(r.backlogOldestHours) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {versioned && (
        <div className="hw-ranking__scroll">
          <h4 className="hw-muted">{tt('trust.byModel')}</h4>
          <table className="hw-ranking" data-testid="ai-trust-models">
            <thead>
              <tr>
                <th scope="col">{tt('trust.category')}</th>
                <th scope="col">{tt('trust.model')}</th>
                <th scope="col">{tt('trust.detections')}</th>
                <th scope="col">{tt('trust.confirmRate')}</th>
                <th scope="col">{tt('trust.reviewTime')}</th>
                <th scope="col">{tt('trust.pending')}</th>
              </tr>
            </thead>
            <tbody>
              {modelRows.map((r) => (
                <tr
                  key={`${r.category}|${r.modelVersion ?? ''}`}
                  data-testid="ai-trust-model-row"
                  data-category={r.category}
                  data-model={r.modelVersion ?? ''}
                  data-confirm-rate={r.confirmRate ?? ''}
                >
                  <th scope="row">{t(`category.${r.category}` as MessageKey)}</th>
                  <td>{r.modelVersion ?? tt('trust.noModel')}</td>
                  <td>{r.detections.toLocaleString()}</td>
                  <td>{pct(r.confirmRate)}</td>
                  <td title={tt('trust.samples', { n: r.reviewTimeSamples })}>{r.meanReviewHours === null ? '–' : tt('trust.hours', { h: hours(r.meanReviewHours) })}</td>
                  <td>{r.pending.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {suggested && (
        <p className="hw-muted" data-testid="ai-trust-suggested">
          {suggested.threshold === null
            ? tt('trust.noSuggestion')
            : tt('trust.suggested', { t: suggested.threshold.toFixed(2), rate: pct(suggested.confirmRate), n: suggested.samples })}
        </p>
      )}
      {canConfirm && threshold.isSuccess && (
        bulkAt === null ? (
          <p className="hw-muted">{tt('trust.bulkOff')}</p>
        ) : (
          <p>
            <button
              type="button"
              className="hw-button"
              data-testid="ai-trust-bulk"
              disabled={bulk.isPending || !confirmable.data?.total}
              onClick={() => bulk.mutate({})}
            >
              {tt('trust.bulk', { n: confirmable.data?.total ?? 0, t: bulkAt.toFixed(2) })}
            </button>{' '}
            {bulk.isSuccess && <span data-testid="ai-trust-bulk-done">{tt('trust.bulkDone', { n: bulk.data.confirmed.length })}</span>}
            {bulk.isError && <span className="hw-error" role="alert">{bulk.error.message}</span>}
          </p>
        )
      )}
      {(head.data?.items.length ?? 0) > 0 && (
        <>
          <h4 className="hw-muted">{tt('trust.queue')}</h4>
          <ol data-testid="ai-trust-queue">
            {head.data!.items.map((i) => (
              <li key={i.id} data-incident-id={i.id}>
                {t(`category.${i.category}` as MessageKey)} · S{i.severity} · {i.aiConfidence === null ? '–' : i.aiConfidence.toFixed(2)}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
