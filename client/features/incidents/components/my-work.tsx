import { useT } from '../../../i18n/i18n.js';
import { useMyWork } from '../api/use-my-work.js';
import { IncidentRow } from './incident-row.js';

export interface MyWorkProps {
  onIncidentSelect: (id: number) => void;
  onClose: () => void;
}

/** A store manager's open, overdue and due-soon incidents by due time, and the review queue. */
export function MyWorkPanel({ onIncidentSelect, onClose }: MyWorkProps) {
  const t = useT();
  const query = useMyWork(true);
  const work = query.data?.work;
  const reviews = query.data?.reviews;
  return (
    <aside className="hw-panel" data-testid="my-work" aria-label={t('work.title')}>
      <header className="hw-panel__header">
        <div>
          <h2 className="hw-panel__title">{t('work.title')}</h2>
          {work && (
            <p className="hw-muted" data-testid="work-summary">
              {t('work.summary', { total: work.total, overdue: work.overdue, dueSoon: work.dueSoon })}
            </p>
          )}
        </div>
        <button type="button" className="hw-button hw-button--ghost" aria-label={t('common.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="hw-detail__body">
        {query.isPending && <p className="hw-panel__state">{t('common.loading')}</p>}
        {query.isError && (
          <p className="hw-panel__state hw-error" role="alert">
            {t('work.error')} {query.error.message}{' '}
            <button type="button" className="hw-button" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {reviews && reviews.total > 0 && (
          <>
            <h3 className="hw-detail__subtitle">{t('work.reviews', { total: reviews.total })}</h3>
            <ul className="hw-incidents" data-testid="review-queue">
              {reviews.items.map((item) => (
                <IncidentRow key={item.id} item={item} onOpen={onIncidentSelect} showDue />
              ))}
            </ul>
          </>
        )}
        {work && (
          <>
            <h3 className="hw-detail__subtitle">{t('work.open')}</h3>
            {work.items.length === 0 ? (
              <p className="hw-panel__state">{t('work.empty')}</p>
            ) : (
              <ul className="hw-incidents" data-testid="work-list">
                {work.items.map((item) => (
                  <IncidentRow key={item.id} item={item} onOpen={onIncidentSelect} showDue />
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </aside>
  );
}
