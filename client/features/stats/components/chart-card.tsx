import type { ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { useStatsT } from '../strings.js';

/** What a card needs to know of its query. */
export interface CardQuery {
  isPending: boolean;
  isError: boolean;
  error: { message: string } | null;
  /** An older answer shown while a new filter loads. */
  isPlaceholderData: boolean;
  refetch: () => unknown;
}

export interface ChartCardProps {
  testId: string;
  title: string;
  query: CardQuery;
  /** Nothing to draw (checked only once the data is in). */
  empty: boolean;
  controls?: ReactNode;
  note?: ReactNode;
  children: ReactNode;
}

/** A titled section with the loading, empty and error (message + retry) states of its query. */
export function ChartCard({ testId, title, query, empty, controls, note, children }: ChartCardProps) {
  const t = useT();
  const ts = useStatsT();
  const state = query.isPending ? 'loading' : query.isError ? 'error' : empty ? 'empty' : 'ready';
  return (
    <section className="hw-chart-card" data-testid={testId} data-state={state} aria-busy={query.isPending || query.isPlaceholderData} aria-label={title}>
      <header className="hw-chart-card__head">
        <h3 className="hw-chart-card__title">{title}</h3>
        {controls}
      </header>
      {state === 'loading' && <p className="hw-chart-card__state hw-muted">{t('common.loading')}</p>}
      {state === 'error' && (
        <p className="hw-chart-card__state hw-error" role="alert">
          {ts('state.error', { message: query.error?.message ?? '' })}{' '}
          <button type="button" className="hw-button" data-testid={`${testId}-retry`} onClick={() => void query.refetch()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {state === 'empty' && <p className="hw-chart-card__state hw-muted">{ts('state.empty')}</p>}
      {state === 'ready' && children}
      {state === 'ready' && note && <p className="hw-chart-card__note">{note}</p>}
    </section>
  );
}

export interface SegmentedProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  testId: string;
}

/** A row of pressed/unpressed buttons (the filters panel's look). */
export function Segmented<T extends string>({ label, value, options, onChange, testId }: SegmentedProps<T>) {
  return (
    <div className="hw-segmented" role="group" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button key={o.value} type="button" className="hw-segmented__item" aria-pressed={o.value === value} data-testid={`${testId}-${o.value}`} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
