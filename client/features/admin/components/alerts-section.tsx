import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLang } from '../../../i18n/i18n.js';
import { useAdminStores } from '../api/use-admin-stores.js';
import { useAlertTargets, useDeliveries, useResendDelivery, useSetAlertTarget } from '../api/use-deliveries.js';
import type { Delivery } from '../api/use-deliveries.js';
import { serverErrors } from '../lib/server-errors.js';
import { LIMITS, validateTarget } from '../lib/validation.js';
import type { FieldErrors, TargetForm } from '../lib/validation.js';
import { useAdminT } from '../strings.js';
import { Field, FormFooter, formatWhen, QueryState, serverFieldErrors } from './parts.js';

const TARGET_FIELDS = ['storeId', 'channel', 'webhookUrl', 'webhookSecret', 'chatId', 'enabled'] as const;
const EMPTY_TARGET: TargetForm = { storeId: '', channel: 'webhook', webhookUrl: '', webhookSecret: '', chatId: '', enabled: true };

export function AlertsSection() {
  const ta = useAdminT();
  return (
    <section className="hw-admin-section" data-testid="admin-alerts" aria-labelledby="hw-admin-alerts-title">
      <header className="hw-admin-section__head">
        <h3 id="hw-admin-alerts-title">{ta('targets.title')}</h3>
      </header>
      <TargetFormPanel />
      <DeliveriesList />
    </section>
  );
}

function TargetFormPanel() {
  const ta = useAdminT();
  const stores = useAdminStores();
  const setTarget = useSetAlertTarget();
  const targets = useAlertTargets();
  const [form, setForm] = useState<TargetForm>(EMPTY_TARGET);
  const current = (targets.data ?? []).find((t) => String(t.storeId) === form.storeId) ?? null;
  /** Choosing a store pre-fills its current target; the URL and secret stay empty (kept unless typed). */
  const chooseStore = (storeId: string) => {
    const t = (targets.data ?? []).find((x) => String(x.storeId) === storeId);
    setSaved(false);
    setForm(t ? { storeId, channel: t.channel, webhookUrl: '', webhookSecret: '', chatId: t.chatId ?? '', enabled: t.enabled } : { ...EMPTY_TARGET, storeId });
  };
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<TargetForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateTarget(form, current);
    setGeneral(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setTarget.mutate(checked.value, {
      onSuccess: () => setSaved(true),
      onError: (error) => {
        const s = serverErrors(error, TARGET_FIELDS);
        setErrors(serverFieldErrors(s));
        setGeneral(s.message ?? ta('form.fixErrors'));
      },
    });
  };

  return (
    <form className="hw-admin-form" data-testid="target-form" onSubmit={submit} noValidate>
      <p className="hw-admin-field__hint">{ta('targets.hint')}</p>
      <div className="hw-admin-form__grid">
        <Field label={ta('targets.store')} testId="target-store" error={errors.storeId}>
          <select data-testid="target-store" value={form.storeId} onChange={(e) => chooseStore(e.target.value)} aria-invalid={!!errors.storeId}>
            <option value="">{stores.isPending ? ta('state.loading') : ta('targets.chooseStore')}</option>
            {(stores.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} {s.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="hw-admin-fieldset hw-admin-fieldset--inline">
          <legend>{ta('targets.channel')}</legend>
          {(['webhook', 'app'] as const).map((channel) => (
            <label key={channel} className="hw-check">
              <input type="radio" name="hw-target-channel" data-testid={`target-channel-${channel}`} checked={form.channel === channel} onChange={() => set({ channel })} />
              {ta(channel === 'webhook' ? 'targets.webhook' : 'targets.app')}
            </label>
          ))}
        </fieldset>
      </div>
      {current && (
        <p className="hw-admin-field__hint" data-testid="target-current">
          {current.channel === 'webhook'
            ? ta('targets.currentWebhook', { host: current.webhookHost ?? '?', secret: ta(current.hasSecret ? 'targets.secretSet' : 'targets.secretNone') })
            : ta('targets.currentApp', { chat: current.chatId ?? '?' })}
        </p>
      )}
      {stores.isError && (
        <QueryState query={stores} empty={false} emptyText="" testId="target-stores" />
      )}
      {form.channel === 'webhook' ? (
        <div className="hw-admin-form__grid">
          <Field label={ta('targets.webhookUrl')} testId="target-webhook-url" error={errors.webhookUrl} wide>
            <input data-testid="target-webhook-url" type="url" inputMode="url" placeholder="https://open.feishu.cn/open-apis/bot/v2/hook/…" maxLength={LIMITS.webhookUrlMax} value={form.webhookUrl} onChange={(e) => set({ webhookUrl: e.target.value })} aria-invalid={!!errors.webhookUrl} />
          </Field>
          <Field label={`${ta('targets.webhookSecret')} ${ta('form.optional')}`} testId="target-webhook-secret" error={errors.webhookSecret}>
            <input data-testid="target-webhook-secret" type="password" autoComplete="off" maxLength={LIMITS.webhookSecretMax} value={form.webhookSecret} onChange={(e) => set({ webhookSecret: e.target.value })} aria-invalid={!!errors.webhookSecret} />
          </Field>
        </div>
      ) : (
        <div className="hw-admin-form__grid">
          <Field label={ta('targets.chatId')} testId="target-chat-id" error={errors.chatId}>
            <input data-testid="target-chat-id" placeholder="oc_…" autoComplete="off" value={form.chatId} onChange={(e) => set({ chatId: e.target.value })} aria-invalid={!!errors.chatId} />
          </Field>
        </div>
      )}
      <label className="hw-check hw-admin-check">
        <input type="checkbox" data-testid="target-enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        {ta('targets.enabled')}
      </label>
      <FormFooter testId="target" pending={setTarget.isPending} general={general} saved={saved} />
    </form>
  );
}

function DeliveriesList() {
  const ta = useAdminT();
  const [lang] = useLang();
  const [failedOnly, setFailedOnly] = useState(false);
  const [alertId, setAlertId] = useState<number | null>(null);
  const deliveries = useDeliveries(failedOnly ? 'failed' : undefined, alertId);
  const items = deliveries.data ?? [];
  const failed = items.filter((d) => d.status === 'failed').length;
  return (
    <div className="hw-admin-deliveries" data-testid="deliveries" aria-busy={deliveries.isFetching}>
      <div className="hw-admin-section__head">
        <h4>{ta('deliveries.title')}</h4>
        <div className="hw-segmented" role="group" aria-label={ta('deliveries.title')}>
          <button type="button" className="hw-segmented__item" data-testid="deliveries-all" aria-pressed={!failedOnly} onClick={() => setFailedOnly(false)}>
            {ta('deliveries.all')}
          </button>
          <button type="button" className="hw-segmented__item" data-testid="deliveries-failed" aria-pressed={failedOnly} onClick={() => setFailedOnly(true)}>
            {ta('deliveries.failedOnly')}
          </button>
        </div>
      </div>
      {alertId !== null && (
        <p className="hw-admin-field__hint" data-testid="deliveries-alert-filter">
          {ta('deliveries.alert', { id: alertId })}{' '}
          <button type="button" className="hw-button" data-testid="deliveries-alert-clear" onClick={() => setAlertId(null)}>
            {ta('deliveries.allAlerts')}
          </button>
        </p>
      )}
      {failed > 0 && (
        <p className="hw-admin-deliveries__warning" role="status" data-testid="deliveries-failed-count">
          {ta('deliveries.failedCount', { count: failed })}
        </p>
      )}
      <QueryState query={deliveries} empty={items.length === 0} emptyText={ta('deliveries.empty')} testId="deliveries" />
      {items.length > 0 && (
        <ul className="hw-admin-list">
          {items.map((d) => (
            <DeliveryRow key={d.id} delivery={d} lang={lang} onAlert={setAlertId} />
          ))}
        </ul>
      )}
    </div>
  );
}

function DeliveryRow({ delivery: d, lang, onAlert }: { delivery: Delivery; lang: 'zh' | 'en'; onAlert: (id: number) => void }) {
  const ta = useAdminT();
  const resend = useResendDelivery();
  return (
    <li className={`hw-admin-row hw-admin-delivery hw-admin-delivery--${d.status}`} data-testid="delivery-row" data-delivery-id={d.id} data-status={d.status}>
      <div className="hw-admin-row__main">
        <strong>{d.storeCode}</strong> <span className={`hw-admin-badge hw-admin-badge--${d.status}`}>{ta(`deliveries.status.${d.status}`)}</span>
        <div className="hw-admin-row__meta">
          {d.alertId !== null && (
            <button type="button" className="hw-button" data-testid="delivery-alert" title={ta('deliveries.ofAlert')} onClick={() => onAlert(d.alertId!)}>
              {ta('deliveries.alert', { id: d.alertId })}
            </button>
          )}
          <span>{formatWhen(d.createdAt, lang)}</span>
          <span>{ta('deliveries.attempts', { count: d.attempts })}</span>
          {d.status === 'sent' && d.sentAt && <span>{ta('deliveries.sentAt', { when: formatWhen(d.sentAt, lang) })}</span>}
          {(d.status === 'pending' || d.status === 'sending') && <span>{ta('deliveries.next', { when: formatWhen(d.nextAttemptAt, lang) })}</span>}
        </div>
        {d.lastError && (
          <p className="hw-admin-delivery__error" data-testid="delivery-error">
            {d.lastCode !== null ? `${d.lastCode} · ` : ''}
            {d.lastError}
          </p>
        )}
        {d.status === 'failed' && (
          <button type="button" className="hw-button" data-testid="delivery-resend" disabled={resend.isPending} onClick={() => resend.mutate({ id: d.id })}>
            {ta('deliveries.resend')}
          </button>
        )}
        {resend.error && <p className="hw-admin-delivery__error" role="alert">{resend.error.message}</p>}
      </div>
    </li>
  );
}
