import '../stats.css';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../../i18n/i18n.js';
import type { IncidentFilters } from '../../../lib/filters.js';
import type { FilterPatch } from '../lib/cross-filter.js';
import { useStatsT } from '../strings.js';
import { StatsPanel } from './stats-panel.js';

export interface DashboardProps {
  filters: IncidentFilters;
  onFilter: (patch: FilterPatch) => void;
  /** More sections below the charts (e.g. the alerts list); `close` hides the dashboard (to show the map). */
  extra?: (close: () => void) => ReactNode;
  /** A count on the button (e.g. the alerts still to acknowledge, which sit in the drawer). */
  badge?: ReactNode;
}

/**
 * A top-bar button and the drawer it opens: the charts of the current filter (and `extra`).
 * The drawer is portalled to <body> to sit above the app's side and detail panels; on a
 * desktop it takes the right side and leaves the map in view, on a phone the whole screen.
 */
export function Dashboard({ filters, onFilter, extra, badge }: DashboardProps) {
  const t = useT();
  const ts = useStatsT();
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <button
        type="button"
        className="hw-button hw-button--ghost hw-dashboard-toggle"
        data-testid="dashboard-toggle"
        aria-expanded={open}
        aria-controls="hw-dashboard"
        aria-label={ts('dashboard.button')}
        onClick={() => setOpen((o) => !o)}
      >
        {/* On a phone the top bar has no room for the word: a bar-chart icon stands in. */}
        <svg className="hw-dashboard-toggle__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path d="M2 14h12M4 12V7M8 12V3M12 12V9" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
        </svg>
        <span className="hw-dashboard-toggle__text">{ts('dashboard.button')}</span>
        {badge}
      </button>
      {open &&
        createPortal(
          <aside id="hw-dashboard" className="hw-dashboard" data-testid="dashboard" aria-label={ts('dashboard.title')}>
            <header className="hw-dashboard__head">
              <h2 className="hw-dashboard__title">{ts('dashboard.title')}</h2>
              <button type="button" className="hw-button hw-button--ghost" data-testid="dashboard-close" aria-label={t('common.close')} onClick={close}>
                ✕
              </button>
            </header>
            <div className="hw-dashboard__body">
              <StatsPanel filters={filters} onFilter={onFilter} />
              {extra?.(close)}
            </div>
          </aside>,
          document.body,
        )}
    </>
  );
}
