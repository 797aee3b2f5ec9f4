import { useState } from 'react';
import { useAdminSettings, useSaveSettings } from '../api/use-admin-settings.js';
import { SEVERITIES, settingsToForm, validateSettings } from '../lib/validation.js';
import type { SettingsForm, SettingsInput } from '../lib/validation.js';
import { useAdminT } from '../strings.js';
import { Field, FormFooter, QueryState, useFormSubmit } from './parts.js';

const SETTINGS_FIELDS = ['slaHours.1', 'slaHours.2', 'slaHours.3', 'slaHours.4', 'closureTarget', 'autoViewer'] as const;

export function SettingsSection() {
  const ta = useAdminT();
  const settings = useAdminSettings();
  return (
    <section className="hw-admin-section" data-testid="admin-settings" aria-labelledby="hw-admin-settings-title">
      <header className="hw-admin-section__head">
        <h3 id="hw-admin-settings-title">{ta('tab.settings')}</h3>
      </header>
      <QueryState query={settings} empty={false} emptyText="" testId="settings" />
      {settings.data && <SettingsFormPanel initial={settings.data} />}
    </section>
  );
}

function SettingsFormPanel({ initial }: { initial: SettingsInput }) {
  const ta = useAdminT();
  const save = useSaveSettings();
  const [form, setForm] = useState<SettingsForm>(() => settingsToForm(initial));
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<SettingsForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };

  const { errors, general, submit: submitForm } = useFormSubmit({
    validate: validateSettings,
    fields: SETTINGS_FIELDS,
    save,
    onSaved: (next: SettingsInput) => {
      setForm(settingsToForm(next));
      setSaved(true);
    },
  });
  const submit = submitForm(form);

  return (
    <form className="hw-admin-form" data-testid="settings-form" onSubmit={submit} noValidate>
      <fieldset className="hw-admin-fieldset">
        <legend>{ta('settings.sla')}</legend>
        <div className="hw-admin-form__grid hw-admin-form__grid--four">
          {SEVERITIES.map((sev) => (
            <Field key={sev} label={ta('settings.severity', { severity: sev })} testId={`settings-sla-${sev}`} error={errors[`slaHours.${sev}`]}>
              <input
                data-testid={`settings-sla-${sev}`}
                inputMode="numeric"
                value={form.slaHours[sev]}
                onChange={(e) => set({ slaHours: { ...form.slaHours, [sev]: e.target.value } })}
                aria-invalid={!!errors[`slaHours.${sev}`]}
              />
            </Field>
          ))}
        </div>
        <p className="hw-admin-field__hint" data-testid="settings-sla-hint">{ta('settings.slaHint')}</p>
      </fieldset>
      <div className="hw-admin-form__grid">
        <Field label={ta('settings.closureTarget')} testId="settings-closure-target" error={errors.closureTarget}>
          <input data-testid="settings-closure-target" inputMode="decimal" value={form.closureTargetPct} onChange={(e) => set({ closureTargetPct: e.target.value })} aria-invalid={!!errors.closureTarget} />
        </Field>
      </div>
      <label className="hw-check hw-admin-check">
        <input type="checkbox" data-testid="settings-auto-viewer" checked={form.autoViewer} onChange={(e) => set({ autoViewer: e.target.checked })} />
        {ta('settings.autoViewer')}
      </label>
      <p className="hw-admin-field__hint">{ta('settings.autoViewerHint')}</p>
      <FormFooter testId="settings" pending={save.isPending} general={general} saved={saved} />
    </form>
  );
}
