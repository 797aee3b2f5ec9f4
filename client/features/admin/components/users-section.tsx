import { useMemo, useState } from 'react';
import { seesAllStores } from '../../../../server/domain/incident.js';
import { useAdminStores } from '../api/use-admin-stores.js';
import type { AdminStore } from '../api/use-admin-stores.js';
import { useAdminUsers, useRemoveUser, useSaveUser } from '../api/use-admin-users.js';
import type { AdminUser } from '../api/use-admin-users.js';
import { plainMessage } from '../lib/server-errors.js';
import { LIMITS, ROLES, validateUser } from '../lib/validation.js';
import type { Role, UserForm } from '../lib/validation.js';
import { useAdminT } from '../strings.js';
import { Field, FormFooter, QueryState, useFormSubmit, useRevealOnOpen } from './parts.js';

const USER_FIELDS = ['id', 'name', 'role', 'storeIds', 'feishuOpenId'] as const;
const EMPTY_USER: UserForm = { id: '', name: '', role: 'store_manager', storeIds: [], feishuOpenId: '' };

function toForm(u: AdminUser): UserForm {
  return { id: u.id, name: u.name, role: u.role, storeIds: [...u.storeIds], feishuOpenId: u.feishuOpenId ?? '' };
}

export function UsersSection() {
  const ta = useAdminT();
  const users = useAdminUsers();
  const stores = useAdminStores();
  // null: no form; '' a new user; otherwise the id being edited.
  const [editing, setEditing] = useState<string | null>(null);
  const storeById = useMemo(() => new Map((stores.data ?? []).map((s) => [s.id, s])), [stores.data]);
  const editedUser = editing ? users.data?.find((u) => u.id === editing) : undefined;

  return (
    <section className="hw-admin-section" data-testid="admin-users" aria-labelledby="hw-admin-users-title">
      <header className="hw-admin-section__head">
        <h3 id="hw-admin-users-title">{ta('tab.users')}</h3>
        <button type="button" className="hw-button hw-button--primary" data-testid="user-new" onClick={() => setEditing('')}>
          {ta('users.new')}
        </button>
      </header>
      {editing !== null && (
        <UserFormPanel
          key={editing || '(new)'}
          initial={editedUser ? toForm(editedUser) : EMPTY_USER}
          isNew={!editedUser}
          stores={stores.data ?? []}
          onDone={() => setEditing(null)}
        />
      )}
      <QueryState query={users} empty={users.data?.length === 0} emptyText={ta('users.empty')} testId="users" />
      {users.data && users.data.length > 0 && (
        <ul className="hw-admin-list" data-testid="users-list">
          {users.data.map((u) => (
            <UserRow key={u.id} user={u} storeById={storeById} onEdit={() => setEditing(u.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function UserRow({ user, storeById, onEdit }: { user: AdminUser; storeById: Map<number, AdminStore>; onEdit: () => void }) {
  const ta = useAdminT();
  const remove = useRemoveUser();
  const [confirming, setConfirming] = useState(false);
  const scoped = !seesAllStores(user.role);
  const storeCodes = user.storeIds.map((id) => storeById.get(id)?.code ?? `#${id}`);
  return (
    <li className="hw-admin-row" data-testid="user-row" data-user-id={user.id} data-role={user.role} data-disabled={user.disabled}>
      <div className="hw-admin-row__main">
        <strong>{user.name}</strong> <span className="hw-admin-row__sub">{user.id}</span>
        <div className="hw-admin-row__meta">
          <span className="hw-admin-badge">{ta(`role.${user.role}`)}</span>
          {user.disabled && (
            <span className="hw-admin-badge" data-testid="user-disabled" title={ta('users.disabledHint')}>
              {ta('users.disabled')}
            </span>
          )}
          <span>{scoped ? (storeCodes.length <= 3 ? storeCodes.join(', ') || ta('users.storesCount', { count: 0 }) : ta('users.storesCount', { count: storeCodes.length })) : ta('users.allStores')}</span>
          <span className="hw-admin-row__sub">{user.feishuOpenId ?? ta('users.noOpenId')}</span>
        </div>
        {remove.error && (
          <p className="hw-error hw-admin-row__error" role="alert" data-testid="user-remove-error">
            {ta('users.removeFailed', { message: plainMessage(remove.error) })}
          </p>
        )}
      </div>
      <div className="hw-admin-row__actions">
        {confirming ? (
          <>
            <span className="hw-admin-row__confirm">{ta('users.confirmRemove', { name: user.name })}</span>
            <button type="button" className="hw-button hw-button--danger" data-testid="user-remove-confirm" disabled={remove.isPending} onClick={() => remove.mutate({ id: user.id }, { onSettled: () => setConfirming(false) })}>
              {ta('users.remove')}
            </button>
            <button type="button" className="hw-button" onClick={() => setConfirming(false)}>
              {ta('form.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="hw-button" data-testid="user-edit" onClick={onEdit}>
              {ta('form.edit')}
            </button>
            <button type="button" className="hw-button" data-testid="user-remove" onClick={() => { remove.reset(); setConfirming(true); }}>
              {ta('users.remove')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function UserFormPanel({ initial, isNew, stores, onDone }: { initial: UserForm; isNew: boolean; stores: AdminStore[]; onDone: () => void }) {
  const ta = useAdminT();
  const save = useSaveUser();
  const [form, setForm] = useState<UserForm>(initial);
  const [storeQuery, setStoreQuery] = useState('');
  const formRef = useRevealOnOpen<HTMLFormElement>();
  const set = (patch: Partial<UserForm>) => setForm((f) => ({ ...f, ...patch }));

  const shownStores = useMemo(() => {
    const q = storeQuery.trim().toLowerCase();
    return q ? stores.filter((s) => `${s.code} ${s.name} ${s.city}`.toLowerCase().includes(q)) : stores;
  }, [stores, storeQuery]);

  const { errors, general, submit: submitForm } = useFormSubmit({
    validate: validateUser,
    fields: USER_FIELDS,
    save,
    onSaved: onDone,
  });
  const submit = submitForm(form);

  const toggleStore = (id: number, on: boolean) => set({ storeIds: on ? [...form.storeIds, id] : form.storeIds.filter((s) => s !== id) });

  return (
    <form className="hw-admin-form" data-testid="user-form" onSubmit={submit} noValidate ref={formRef}>
      <div className="hw-admin-form__grid">
        <Field label={ta('users.id')} testId="user-id" error={errors.id}>
          <input data-testid="user-id" value={form.id} disabled={!isNew} maxLength={LIMITS.userIdMax} autoComplete="off" onChange={(e) => set({ id: e.target.value })} aria-invalid={!!errors.id} />
        </Field>
        <Field label={ta('users.name')} testId="user-name" error={errors.name}>
          <input data-testid="user-name" value={form.name} maxLength={LIMITS.userNameMax} onChange={(e) => set({ name: e.target.value })} aria-invalid={!!errors.name} />
        </Field>
        <Field label={ta('users.role')} testId="user-role" error={errors.role}>
          <select data-testid="user-role" value={form.role} onChange={(e) => set({ role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ta(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={`${ta('users.openId')} ${ta('form.optional')}`} testId="user-openid" error={errors.feishuOpenId}>
          <input data-testid="user-openid" value={form.feishuOpenId} placeholder="ou_…" maxLength={LIMITS.openIdMax} autoComplete="off" onChange={(e) => set({ feishuOpenId: e.target.value })} aria-invalid={!!errors.feishuOpenId} />
        </Field>
      </div>
      <fieldset className="hw-admin-stores" data-testid="user-stores" disabled={seesAllStores(form.role)}>
        <legend>
          {ta('users.stores')} · {!seesAllStores(form.role) ? ta('users.storesCount', { count: form.storeIds.length }) : ta('users.allStores')}
        </legend>
        <p className="hw-admin-field__hint">{ta('users.storesHint')}</p>
        <input className="hw-admin-stores__search" type="search" data-testid="user-store-search" placeholder={ta('users.storeSearch')} aria-label={ta('users.storeSearch')} value={storeQuery} onChange={(e) => setStoreQuery(e.target.value)} />
        <div className="hw-admin-stores__options">
          {shownStores.map((s) => (
            <label key={s.id} className="hw-check">
              <input type="checkbox" data-testid={`user-store-${s.id}`} checked={form.storeIds.includes(s.id)} onChange={(e) => toggleStore(s.id, e.target.checked)} />
              <span>
                {s.code} {s.name}
                {s.archived ? ` (${ta('stores.archived')})` : ''}
              </span>
            </label>
          ))}
        </div>
        {errors.storeIds && (
          <p className="hw-admin-field__error" role="alert" data-testid="user-stores-error">
            {'text' in errors.storeIds ? errors.storeIds.text : ta(errors.storeIds.key, errors.storeIds.params)}
          </p>
        )}
      </fieldset>
      <FormFooter testId="user" pending={save.isPending} general={general} onCancel={onDone} />
    </form>
  );
}
