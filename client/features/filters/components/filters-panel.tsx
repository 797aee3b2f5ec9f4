import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import {
  CATEGORIES,
  CATEGORIES_BY_KIND,
  DEFAULT_FILTER_STATE,
  KINDS,
  REVIEW_STATES,
  SEVERITIES,
  STATUSES,
  TIME_PRESETS,
  toggleIn,
} from '../../../lib/filters.js';
import type { FilterState, TimePreset } from '../../../lib/filters.js';

export interface FiltersPanelProps {
  value: FilterState;
  onChange: (next: FilterState) => void;
  /** Incidents matching the filters in the map's box; null while unknown. */
  matching: number | null;
  loading: boolean;
}

/** Time, kinds, categories, severities, statuses, review states, overdue only; and how many match. */
export function FiltersPanel({ value, onChange, matching, loading }: FiltersPanelProps) {
  const t = useT();
  const set = (patch: Partial<FilterState>) => onChange({ ...value, ...patch });
  const custom = !('preset' in value.time);
  const preset = 'preset' in value.time ? value.time.preset : null;
  // Categories of the chosen kinds only (all when no kind is chosen).
  const shownCategories = value.kinds.length
    ? CATEGORIES.filter((c) => value.kinds.some((k) => CATEGORIES_BY_KIND[k].includes(c)))
    : CATEGORIES;

  return (
    <section className="hw-filters" data-testid="filters" aria-label={t('filters.title')}>
      <header className="hw-filters__head">
        <h2>{t('filters.title')}</h2>
        <p className="hw-filters__count" data-testid="filter-count" aria-live="polite">
          {matching === null || loading ? t('common.loading') : t('filters.matching', { count: matching.toLocaleString() })}
        </p>
      </header>

      <fieldset className="hw-filters__group">
        <legend>{t('filters.time')}</legend>
        <div className="hw-segmented" role="group">
          {TIME_PRESETS.map((p) => (
            <button
              key={p}
              type="button"
              className="hw-segmented__item"
              aria-pressed={preset === p}
              data-testid={`time-${p}`}
              onClick={() => set({ time: { preset: p } })}
            >
              {p === 'all' ? t('filters.allTime') : t('filters.days', { days: p satisfies TimePreset })}
            </button>
          ))}
          <button
            type="button"
            className="hw-segmented__item"
            aria-pressed={custom}
            data-testid="time-custom"
            onClick={() => set({ time: { from: null, to: null } })}
          >
            {t('filters.custom')}
          </button>
        </div>
        {!('preset' in value.time) && (
          <div className="hw-filters__range">
            <label className="hw-field">
              <span>{t('filters.from')}</span>
              <input
                type="date"
                data-testid="time-from"
                value={value.time.from ?? ''}
                onChange={(e) => set({ time: { from: e.target.value || null, to: 'to' in value.time ? value.time.to : null } })}
              />
            </label>
            <label className="hw-field">
              <span>{t('filters.to')}</span>
              <input
                type="date"
                data-testid="time-to"
                value={value.time.to ?? ''}
                onChange={(e) => set({ time: { from: 'from' in value.time ? value.time.from : null, to: e.target.value || null } })}
              />
            </label>
          </div>
        )}
      </fieldset>

      <CheckGroup
        legend={t('filters.kinds')}
        name="kind"
        options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}` as MessageKey) }))}
        selected={value.kinds}
        onToggle={(k) => {
          const kinds = toggleIn(value.kinds, k, KINDS);
          // Categories that no chosen kind has any more are dropped rather than silently kept.
          const categories = kinds.length
            ? value.categories.filter((c) => kinds.some((kind) => CATEGORIES_BY_KIND[kind].includes(c)))
            : value.categories;
          set({ kinds, categories });
        }}
      />

      <details className="hw-filters__group" open={value.categories.length > 0}>
        <summary>
          {t('filters.categories')}
          {value.categories.length > 0 && <span className="hw-count-badge">{value.categories.length}</span>}
        </summary>
        <CheckGroup
          name="cat"
          options={shownCategories.map((c) => ({ value: c, label: t(`category.${c}` as MessageKey) }))}
          selected={value.categories}
          onToggle={(c) => set({ categories: toggleIn(value.categories, c, CATEGORIES) })}
        />
      </details>

      <CheckGroup
        legend={t('filters.severities')}
        name="sev"
        options={SEVERITIES.map((s) => ({ value: s, label: t('incident.severity', { severity: s }) }))}
        selected={value.severities}
        onToggle={(s) => set({ severities: toggleIn(value.severities, s, SEVERITIES) })}
      />

      <CheckGroup
        legend={t('filters.statuses')}
        name="st"
        options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) }))}
        selected={value.statuses}
        onToggle={(s) => set({ statuses: toggleIn(value.statuses, s, STATUSES) })}
      />

      <CheckGroup
        legend={t('filters.review')}
        name="rv"
        options={REVIEW_STATES.map((r) => ({ value: r, label: t(`review.${r}` as MessageKey) }))}
        selected={value.review}
        onToggle={(r) => set({ review: toggleIn(value.review, r, REVIEW_STATES) })}
      />
      <p className="hw-filters__note" data-testid="review-note">
        {value.review.length === 0 ? t('filters.reviewDefault') : t('filters.reviewChosen')}
      </p>

      <label className="hw-check hw-filters__overdue">
        <input type="checkbox" data-testid="overdue-only" checked={value.overdueOnly} onChange={(e) => set({ overdueOnly: e.target.checked })} />
        {t('filters.overdueOnly')}
      </label>

      <button
        type="button"
        className="hw-button hw-filters__reset"
        data-testid="filters-reset"
        onClick={() => onChange({ ...DEFAULT_FILTER_STATE, storeIds: value.storeIds, cityIds: value.cityIds })}
      >
        {t('filters.reset')}
      </button>
    </section>
  );
}

interface CheckGroupProps<T extends string | number> {
  legend?: string;
  name: string;
  options: Array<{ value: T; label: string }>;
  selected: readonly T[];
  onToggle: (value: T) => void;
}

function CheckGroup<T extends string | number>({ legend, name, options, selected, onToggle }: CheckGroupProps<T>) {
  const body = (
    <div className="hw-checks">
      {options.map((o) => (
        <label key={o.value} className="hw-check hw-check--chip">
          <input
            type="checkbox"
            data-testid={`filter-${name}-${o.value}`}
            checked={selected.includes(o.value)}
            onChange={() => onToggle(o.value)}
          />
          {o.label}
        </label>
      ))}
    </div>
  );
  if (!legend) return body;
  return (
    <fieldset className="hw-filters__group">
      <legend>{legend}</legend>
      {body}
    </fieldset>
  );
}
