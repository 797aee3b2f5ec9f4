import type { ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import { useCellIncidents } from '../api/use-cell-incidents.js';
import { IncidentRow } from './incident-row.js';

export interface CellPanelProps {
  cell: string;
  filters: IncidentFilters;
  onClose: () => void;
  onIncidentSelect: (id: number) => void;
  /** What the app adds under the header (e.g. the cell's countermeasures). */
  actions?: ReactNode;
}

/** The incidents of the selected hexagon: a side panel on desktop, a bottom sheet on phones. */
export function CellPanel({ cell, filters, onClose, onIncidentSelect, actions }: CellPanelProps) {
  const t = useT();
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
      {actions}
      {query.isPending && <p className="hw-panel__state">{t('common.loading')}</p>}
      {query.isError && (
        <p className="hw-panel__state hw-error" role="alert">
          {t('cell.error')} {query.error.message}{' '}
          <button type="button" className="hw-button" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {query.isSuccess && items.length === 0 && <p className="hw-panel__state" data-testid="cell-empty">{t('cell.empty')}</p>}
      {items.length > 0 && (
        <ul className="hw-incidents" data-testid="incident-list">
          {items.map((item) => (
            <IncidentRow key={item.id} item={item} onOpen={onIncidentSelect} />
          ))}
          {query.hasNextPage && (
            <li className="hw-panel__more">
              <button type="button" className="hw-button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {query.isFetchingNextPage ? t('common.loading') : t('cell.loadMore')}
              </button>
            </li>
          )}
        </ul>
      )}
    </aside>
  );
}
