import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useAdminCities, useAdminStores, useArchiveStore, useChangeStoreCode, useCreateCity, useSaveStore } from '../api/use-admin-stores.js';
import type { AdminStore } from '../api/use-admin-stores.js';
import { citiesOf } from '../lib/cities.js';
import { plainMessage } from '../lib/server-errors.js';
import { LIMITS, validateStore } from '../lib/validation.js';
import type { StoreForm } from '../lib/validation.js';
import { useAdminT } from '../strings.js';
import { Field, FormFooter, QueryState, useFormSubmit, useRevealOnOpen } from './parts.js';

const STORE_FIELDS = ['code', 'name', 'cityId', 'lat', 'lng', 'radiusM'] as const;
/** The design's default delivery radius. */
const DEFAULT_RADIUS_M = 3000;

type City = ReturnType<typeof citiesOf>[number];

function toForm(s: AdminStore): StoreForm {
  return { code: s.code, name: s.name, cityId: String(s.cityId), lat: String(s.lat), lng: String(s.lng), radiusM: String(s.radiusM) };
}

export function StoresSection() {
  const ta = useAdminT();
  const stores = useAdminStores();
  const [editing, setEditing] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [showArchived, setShowArchived] = useState(true);
  const cityList = useAdminCities();
  const [addingCity, setAddingCity] = useState(false);
  // every city (a new one has no store yet); the stores' cities until the list has loaded
  const cities = useMemo(
    () => (cityList.data ? cityList.data.map((c) => ({ id: c.id, name: c.name })).sort((a, b) => a.name.localeCompare(b.name)) : citiesOf(stores.data ?? [])),
    [cityList.data, stores.data],
  );
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (stores.data ?? []).filter((s) => (showArchived || !s.archived) && (!q || `${s.code} ${s.name} ${s.city}`.toLowerCase().includes(q)));
  }, [stores.data, query, showArchived]);
  const edited = editing ? stores.data?.find((s) => s.code === editing) : undefined;

  return (
    <section className="hw-admin-section" data-testid="admin-stores" aria-labelledby="hw-admin-stores-title">
      <header className="hw-admin-section__head">
        <h3 id="hw-admin-stores-title">{ta('tab.stores')}</h3>
        <div className="hw-admin-form__buttons">
          <button type="button" className="hw-button" data-testid="city-new" onClick={() => setAddingCity((v) => !v)}>
            {ta('cities.new')}
          </button>
          <button type="button" className="hw-button hw-button--primary" data-testid="store-new" onClick={() => setEditing('')}>
            {ta('stores.new')}
          </button>
        </div>
      </header>
      {addingCity && <CityFormPanel onDone={() => setAddingCity(false)} />}
      {editing !== null && (
        <StoreFormPanel
          key={editing || '(new)'}
          initial={edited ? toForm(edited) : { code: '', name: '', cityId: cities.length === 1 ? String(cities[0]!.id) : '', lat: '', lng: '', radiusM: String(DEFAULT_RADIUS_M) }}
          isNew={!edited}
          cities={cities}
          onDone={() => setEditing(null)}
        />
      )}
      <div className="hw-admin-toolbar">
        <input type="search" data-testid="store-search" placeholder={ta('users.storeSearch')} aria-label={ta('users.storeSearch')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <label className="hw-check">
          <input type="checkbox" data-testid="store-show-archived" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          {ta('stores.showArchived')}
        </label>
      </div>
      <p className="hw-admin-field__hint">{ta('stores.archiveHint')}</p>
      <QueryState query={stores} empty={stores.data?.length === 0} emptyText={ta('stores.empty')} testId="stores" />
      {shown.length > 0 && (
        <ul className="hw-admin-list" data-testid="stores-list">
          {shown.map((s) => (
            <StoreRow key={s.id} store={s} onEdit={() => setEditing(s.code)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CityFormPanel({ onDone }: { onDone: () => void }) {
  const ta = useAdminT();
  const create = useCreateCity();
  const [form, setForm] = useState({ name: '', nameZh: '', tz: 'Asia/Shanghai', centerLat: '', centerLng: '' });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // the server checks every field and names the one at fault
    create.mutate(
      { name: form.name.trim(), nameZh: form.nameZh.trim() || null, tz: form.tz.trim(), centerLat: Number(form.centerLat), centerLng: Number(form.centerLng) },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="hw-admin-form" data-testid="city-form" onSubmit={submit} noValidate>
      <div className="hw-admin-form__grid">
        <Field label={ta('cities.name')} testId="city-name">
          <input data-testid="city-name" value={form.name} maxLength={LIMITS.cityNameMax} onChange={(e) => set({ name: e.target.value })} />
        </Field>
        <Field label={ta('cities.nameZh')} testId="city-name-zh">
          <input data-testid="city-name-zh" value={form.nameZh} maxLength={LIMITS.cityNameMax} onChange={(e) => set({ nameZh: e.target.value })} />
        </Field>
        <Field label={ta('cities.tz')} testId="city-tz">
          <input data-testid="city-tz" value={form.tz} maxLength={LIMITS.timeZoneMax} onChange={(e) => set({ tz: e.target.value })} />
        </Field>
        <Field label={ta('stores.lat')} testId="city-lat">
          <input data-testid="city-lat" inputMode="decimal" value={form.centerLat} onChange={(e) => set({ centerLat: e.target.value })} />
        </Field>
        <Field label={ta('stores.lng')} testId="city-lng">
          <input data-testid="city-lng" inputMode="decimal" value={form.centerLng} onChange={(e) => set({ centerLng: e.target.value })} />
        </Field>
      </div>
      <FormFooter testId="city" pending={create.isPending} general={create.error ? plainMessage(create.error) : null} onCancel={onDone} />
    </form>
  );
}

function ChangeCode({ store, onDone }: { store: AdminStore; onDone: () => void }) {
  const ta = useAdminT();
  const change = useChangeStoreCode();
  const [code, setCode] = useState(store.code);
  return (
    <form
      className="hw-admin-row__actions"
      data-testid="store-code-change"
      onSubmit={(e) => {
        e.preventDefault();
        change.mutate({ id: store.id, code: code.trim() }, { onSuccess: onDone });
      }}
    >
      <input data-testid="store-code-new" aria-label={ta('stores.newCode')} value={code} maxLength={LIMITS.storeCodeMax} onChange={(e) => setCode(e.target.value)} />
      <button type="submit" className="hw-button" data-testid="store-code-save" disabled={change.isPending}>
        {ta('form.save')}
      </button>
      {change.error && (
        <p className="hw-error" role="alert" data-testid="store-code-error">
          {plainMessage(change.error)}
        </p>
      )}
    </form>
  );
}

function StoreRow({ store, onEdit }: { store: AdminStore; onEdit: () => void }) {
  const ta = useAdminT();
  const archive = useArchiveStore();
  const [changingCode, setChangingCode] = useState(false);
  return (
    <li
      className={`hw-admin-row${store.archived ? ' hw-admin-row--muted' : ''}`}
      data-testid="store-row"
      data-store-id={store.id}
      data-store-code={store.code}
      data-radius={store.radiusM}
      data-archived={store.archived ? '1' : '0'}
    >
      <div className="hw-admin-row__main">
        <strong>{store.code}</strong> {store.name}
        {store.archived && <span className="hw-admin-badge hw-admin-badge--muted"> {ta('stores.archived')}</span>}
        <div className="hw-admin-row__meta">
          <span>{store.city}</span>
          {store.previousCodes.length > 0 && <span data-testid="store-previous-codes">{ta('stores.formerly', { codes: store.previousCodes.join(', ') })}</span>}
          <span data-testid="store-radius">{ta('stores.radiusShort', { km: (store.radiusM / 1000).toFixed(1) })}</span>
          <span className="hw-admin-row__sub">
            {store.lat.toFixed(5)}, {store.lng.toFixed(5)}
          </span>
        </div>
        {archive.error && (
          <p className="hw-error hw-admin-row__error" role="alert" data-testid="store-archive-error">
            {ta('stores.archiveFailed', { message: plainMessage(archive.error) })}
          </p>
        )}
      </div>
      <div className="hw-admin-row__actions">
        <button type="button" className="hw-button" data-testid="store-edit" onClick={onEdit}>
          {ta('form.edit')}
        </button>
        <button type="button" className="hw-button" data-testid="store-change-code" onClick={() => setChangingCode((v) => !v)}>
          {ta('stores.changeCode')}
        </button>
        <button type="button" className="hw-button" data-testid="store-archive" disabled={archive.isPending} onClick={() => archive.mutate({ id: store.id, archived: !store.archived })}>
          {store.archived ? ta('stores.unarchive') : ta('stores.archive')}
        </button>
      </div>
      {changingCode && <ChangeCode store={store} onDone={() => setChangingCode(false)} />}
    </li>
  );
}

function StoreFormPanel({ initial, isNew, cities, onDone }: { initial: StoreForm; isNew: boolean; cities: City[]; onDone: () => void }) {
  const ta = useAdminT();
  const save = useSaveStore();
  const [form, setForm] = useState<StoreForm>(initial);
  const formRef = useRevealOnOpen<HTMLFormElement>();
  const set = (patch: Partial<StoreForm>) => setForm((f) => ({ ...f, ...patch }));

  const { errors, general, submit: submitForm } = useFormSubmit({
    validate: validateStore,
    fields: STORE_FIELDS,
    save,
    onSaved: onDone,
  });
  const submit = submitForm(form);

  return (
    <form className="hw-admin-form" data-testid="store-form" onSubmit={submit} noValidate ref={formRef}>
      <div className="hw-admin-form__grid">
        <Field label={ta('stores.code')} testId="store-code" error={errors.code} hint={isNew ? ta('stores.codeHint') : undefined}>
          <input data-testid="store-code" value={form.code} disabled={!isNew} maxLength={LIMITS.storeCodeMax} autoComplete="off" onChange={(e) => set({ code: e.target.value })} aria-invalid={!!errors.code} />
        </Field>
        <Field label={ta('stores.name')} testId="store-name" error={errors.name}>
          <input data-testid="store-name" value={form.name} maxLength={LIMITS.storeNameMax} onChange={(e) => set({ name: e.target.value })} aria-invalid={!!errors.name} />
        </Field>
        <Field label={ta('stores.city')} testId="store-city" error={errors.cityId}>
          <select data-testid="store-city" value={form.cityId} onChange={(e) => set({ cityId: e.target.value })} aria-invalid={!!errors.cityId}>
            <option value="">–</option>
            {cities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={ta('stores.radius')} testId="store-radius" error={errors.radiusM}>
          <input data-testid="store-radius" inputMode="numeric" value={form.radiusM} onChange={(e) => set({ radiusM: e.target.value })} aria-invalid={!!errors.radiusM} />
        </Field>
        <Field label={ta('stores.lat')} testId="store-lat" error={errors.lat}>
          <input data-testid="store-lat" inputMode="decimal" value={form.lat} onChange={(e) => set({ lat: e.target.value })} aria-invalid={!!errors.lat} />
        </Field>
        <Field label={ta('stores.lng')} testId="store-lng" error={errors.lng}>
          <input data-testid="store-lng" inputMode="decimal" value={form.lng} onChange={(e) => set({ lng: e.target.value })} aria-invalid={!!errors.lng} />
        </Field>
      </div>
      <FormFooter testId="store" pending={save.isPending} general={general} onCancel={onDone} />
    </form>
  );
}
