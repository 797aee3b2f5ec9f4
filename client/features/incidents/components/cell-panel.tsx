import { useLang, useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useCellIncidents } from '../api/use-cell-incidents.js';

export interface CellPanelProps {
  cell: string;
  filters: IncidentFilters;
  onClose: () => void;
}

/** The incidents of the selected hexagon: a side panel on desktop, a bottom sheet on phones. */
export function CellPanel({ cell, filters, onClose }: CellPanelProps) {
  const t = useT();
  const [lang] = useLang();
  const query = useCellIncidents(filters, cell);
  const pages = query.data?.pages ?? [];
  const items = pages.flatMap((p) => p.items);
  const total = pages[0]?.total;

  return (
    <aside className="hw-panel" data-testid="cell-panel" data-cell={cell} aria-label={t('cell.title', { cell })}>
      <header className="hw-panel__header">
        <div>
          <h2 className="hw-panel__title">{t('cell.title', { cell })}</h2>
          {total !== undefined && <p className="hw-muted" data-testid="cell-total">{t('cell.count', { total })}</p>}
        </div>
        <button type="button" className="hw-button hw-button--ghost" data-testid="cell-panel-close" aria-label={t('common.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      {query.isPending && <p className="hw-panel__state">{t('common.loading')}</p>}
      {query.isError && (
        <p className="hw-panel__state hw-error" role="alert">
          {t('cell.error')} {query.error.message}{' '}
          <button type="button" className="hw-button" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {query.isSuccess && items.length === 0 && <p className="hw-panel__state">{t('cell.empty')}</p>}
      {items.length > 0 && (
        <ul className="hw-incidents" data-testid="incident-list">
          {items.map((item) => (
            <li key={item.id} className="hw-incident" data-testid="incident-row" data-incident-id={item.id} data-cell={item.cell}>
              <div className="hw-incident__head">
                <span className={`hw-badge hw-badge--sev${item.severity}`}>{t('incident.severity', { severity: item.severity })}</span>
                <span className="hw-incident__category">{t(`category.${item.category}` as MessageKey)}</span>
                <span className={`hw-status hw-status--${item.status}`}>{t(`status.${item.status}` as MessageKey)}</span>
              </div>
              <div className="hw-incident__meta">
                <span>{t(`kind.${item.kind}` as MessageKey)}</span>
                <time dateTime={item.occurredAt}>{formatTime(item.occurredAt, lang === 'zh' ? 'zh-CN' : 'en')}</time>
              </div>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <button
          type="button"
          className="hw-button hw-panel__more"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? t('common.loading') : t('cell.loadMore')}
        </button>
      )}
    </aside>
  );
}

function formatTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
