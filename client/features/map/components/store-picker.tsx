import { useId, useMemo, useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { Bbox } from '../../../lib/filters.js';
import { useStores } from '../api/use-stores.js';
import type { Store } from '../api/use-stores.js';
import { storesBounds } from '../lib/store-bounds.js';

export interface StorePickerProps {
  storeId: number | null;
  cityId: number | null;
  /** A store was chosen (null: cleared); `bounds` covers its delivery area. */
  onStore: (store: { id: number; bounds: Bbox } | null) => void;
  /** A city was chosen (null: all cities); `bounds` covers its stores. */
  onCity: (city: { id: number; bounds: Bbox } | null) => void;
}

const MAX_RESULTS = 8;

/** Search a store by name or code, or switch city: the map flies there and filters to it. */
export function StorePicker({ storeId, cityId, onStore, onCity }: StorePickerProps) {
  const t = useT();
  const stores = useStores();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const listId = useId();
  const all = useMemo(() => stores.data ?? [], [stores.data]);
  const cities = useMemo(() => {
    const byId = new Map<number, string>();
    for (const s of all) byId.set(s.cityId, s.city);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }, [all]);
  const q = query.trim().toLowerCase();
  const matches = q
    ? all.filter((s) => s.name.toLowerCase().includes(q) || s.code.toLowerCase().includes(q)).slice(0, MAX_RESULTS)
    : [];
  const selected = storeId !== null ? all.find((s) => s.id === storeId) : undefined;

  const choose = (s: Store) => {
    setQuery('');
    setOpen(false);
    onStore({ id: s.id, bounds: storesBounds([s]) });
  };

  return (
    <section className="hw-stores" data-testid="store-picker">
      {cities.length > 1 && (
        <label className="hw-field">
          <span>{t('stores.city')}</span>
          <select
            data-testid="city-switch"
            value={cityId ?? ''}
            onChange={(e) => {
              const id = Number(e.target.value);
              if (!id) return onCity(null);
              onCity({ id, bounds: storesBounds(all.filter((s) => s.cityId === id)) });
            }}
          >
            <option value="">{t('stores.allCities')}</option>
            {cities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="hw-field hw-stores__search">
        <label htmlFor={`${listId}-input`}>{t('stores.search')}</label>
        <input
          id={`${listId}-input`}
          type="search"
          data-testid="store-search"
          placeholder={t('stores.searchPlaceholder')}
          value={query}
          role="combobox"
          aria-expanded={open && matches.length > 0}
          aria-controls={listId}
          autoComplete="off"
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && matches[0]) choose(matches[0]);
            if (e.key === 'Escape') setOpen(false);
          }}
        />
        {open && q && (
          <ul className="hw-stores__results" id={listId} role="listbox">
            {matches.length === 0 && <li className="hw-muted">{t('stores.noMatch')}</li>}
            {matches.map((s) => (
              <li key={s.id} role="option" aria-selected={s.id === storeId}>
                <button type="button" data-testid="store-option" data-store-id={s.id} onClick={() => choose(s)}>
                  <span className="hw-stores__code">{s.code}</span> {s.name}
                  <span className="hw-muted"> · {s.city}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {stores.isError && (
        <p className="hw-error" role="alert">
          {t('stores.error')}{' '}
          <button type="button" className="hw-button" onClick={() => void stores.refetch()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {selected && (
        <p className="hw-chip" data-testid="selected-store">
          {t('stores.filtered', { name: `${selected.code} ${selected.name}` })}
          <button type="button" className="hw-button hw-button--ghost" aria-label={t('stores.clear')} onClick={() => onStore(null)}>
            ✕
          </button>
        </p>
      )}
    </section>
  );
}
