import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useLang } from '../../../i18n/i18n.js';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/use-api-keys.js';
import type { ApiKey } from '../api/use-api-keys.js';
import { plainMessage, serverErrors } from '../lib/server-errors.js';
import { LIMITS, validateKeyName } from '../lib/validation.js';
import type { FieldErrors } from '../lib/validation.js';
import { useAdminT } from '../strings.js';
import { Field, FormFooter, formatWhen, QueryState, serverFieldErrors } from './parts.js';

export function ApiKeysSection() {
  const ta = useAdminT();
  const keys = useApiKeys();
  return (
    <section className="hw-admin-section" data-testid="admin-api-keys" aria-labelledby="hw-admin-keys-title">
      <header className="hw-admin-section__head">
        <h3 id="hw-admin-keys-title">{ta('tab.apiKeys')}</h3>
      </header>
      <CreateKey />
      <QueryState query={keys} empty={keys.data?.length === 0} emptyText={ta('keys.empty')} testId="api-keys" />
      {keys.data && keys.data.length > 0 && (
        <ul className="hw-admin-list" data-testid="api-keys-list">
          {keys.data.map((k) => (
            <KeyRow key={k.id} apiKey={k} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The name form, then the new key once: it is in the create answer only (stored hashed). */
function CreateKey() {
  const ta = useAdminT();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateKeyName(name);
    setGeneral(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    create.mutate(checked.value, {
      onSuccess: ({ key }) => {
        setCreated({ name: checked.value.name, key });
        setName('');
      },
      onError: (error) => {
        const s = serverErrors(error, ['name']);
        setErrors(serverFieldErrors(s));
        setGeneral(s.message);
      },
    });
  };

  if (created) return <CreatedKey name={created.name} secret={created.key} onDone={() => setCreated(null)} />;
  return (
    <form className="hw-admin-form hw-admin-form--inline" data-testid="api-key-form" onSubmit={submit} noValidate>
      <Field label={ta('keys.new')} testId="api-key-name" error={errors.name}>
        <input data-testid="api-key-name" value={name} maxLength={LIMITS.keyNameMax} placeholder={ta('keys.name')} autoComplete="off" onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} />
      </Field>
      <FormFooter testId="api-key" pending={create.isPending} general={general} saveLabel={ta('keys.create')} />
    </form>
  );
}

function CreatedKey({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const ta = useAdminT();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const doCopy = async () => {
    input.current?.select();
    try {
      // The Clipboard API needs a secure context (and, in a frame such as Feishu's, its permission).
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <div className="hw-admin-secret" data-testid="api-key-created" role="region" aria-label={ta('keys.createdKey', { name })}>
      <strong>{ta('keys.createdKey', { name })}</strong>
      <p className="hw-admin-secret__warning" data-testid="api-key-once">
        {ta('keys.once')}
      </p>
      <div className="hw-admin-secret__row">
        <input ref={input} className="hw-admin-secret__value" data-testid="api-key-value" readOnly value={secret} onFocus={(e) => e.target.select()} aria-label={ta('keys.createdKey', { name })} />
        <button type="button" className="hw-button hw-button--primary" data-testid="api-key-copy" onClick={() => void doCopy()}>
          {copy === 'copied' ? ta('keys.copied') : ta('keys.copy')}
        </button>
      </div>
      {copy === 'failed' && (
        <p className="hw-error" role="alert">
          {ta('keys.copyFailed')}
        </p>
      )}
      <button type="button" className="hw-button" data-testid="api-key-done" onClick={onDone}>
        {ta('keys.done')}
      </button>
    </div>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const ta = useAdminT();
  const [lang] = useLang();
  const revoke = useRevokeApiKey();
  const [confirming, setConfirming] = useState(false);
  const revoked = apiKey.revokedAt !== null;
  return (
    <li className={`hw-admin-row${revoked ? ' hw-admin-row--muted' : ''}`} data-testid="api-key-row" data-key-id={apiKey.id} data-key-name={apiKey.name} data-revoked={revoked ? '1' : '0'}>
      <div className="hw-admin-row__main">
        <strong>{apiKey.name}</strong> <span className="hw-admin-row__sub">{apiKey.id}</span>{' '}
        <span className={`hw-admin-badge${revoked ? ' hw-admin-badge--muted' : ' hw-admin-badge--ok'}`}>{revoked ? ta('keys.revoked', { when: formatWhen(apiKey.revokedAt!, lang) }) : ta('keys.active')}</span>
        <div className="hw-admin-row__meta">
          <span>{ta('keys.created', { when: formatWhen(apiKey.createdAt, lang), who: apiKey.createdBy })}</span>
          <span>{apiKey.lastUsedAt ? ta('keys.lastUsed', { when: formatWhen(apiKey.lastUsedAt, lang) }) : ta('keys.neverUsed')}</span>
        </div>
        {revoke.error && (
          <p className="hw-error hw-admin-row__error" role="alert" data-testid="api-key-revoke-error">
            {ta('keys.revokeFailed', { message: plainMessage(revoke.error) })}
          </p>
        )}
      </div>
      {!revoked && (
        <div className="hw-admin-row__actions">
          {confirming ? (
            <>
              <span className="hw-admin-row__confirm">{ta('keys.confirmRevoke', { name: apiKey.name })}</span>
              <button type="button" className="hw-button hw-button--danger" data-testid="api-key-revoke-confirm" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: apiKey.id }, { onSettled: () => setConfirming(false) })}>
                {ta('keys.confirm')}
              </button>
              <button type="button" className="hw-button" data-testid="api-key-revoke-cancel" onClick={() => setConfirming(false)}>
                {ta('form.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="hw-button" data-testid="api-key-revoke" onClick={() => { revoke.reset(); setConfirming(true); }}>
              {ta('keys.revoke')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
