/** Small pieces every admin section uses: query states, labelled fields with their errors, dates. */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { Lang } from '../../../i18n/i18n.js';
import { serverErrors } from '../lib/server-errors.js';
import type { ServerErrors } from '../lib/server-errors.js';
import type { FieldErrors, FieldMessage, Validated } from '../lib/validation.js';
import { useAdminT } from '../strings.js';

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: { message: string } | null;
  refetch: () => unknown;
}

/** Loading, error with retry, or empty; `null` when the data is there and not empty. */
export function QueryState({ query, empty, emptyText, testId }: { query: QueryLike; empty: boolean; emptyText: string; testId: string }) {
  const ta = useAdminT();
  if (query.isPending) {
    return (
      <p className="hw-muted hw-admin__state" data-testid={`${testId}-loading`} aria-busy="true">
        {ta('state.loading')}
      </p>
    );
  }
  if (query.isError) {
    return (
      <p className="hw-error hw-admin__state" role="alert" data-testid={`${testId}-error`}>
        {ta('state.error', { message: query.error?.message ?? '' })}{' '}
        <button type="button" className="hw-button" data-testid={`${testId}-retry`} onClick={() => void query.refetch()}>
          {ta('state.retry')}
        </button>
      </p>
    );
  }
  if (empty) {
    return (
      <p className="hw-muted hw-admin__state" data-testid={`${testId}-empty`}>
        {emptyText}
      </p>
    );
  }
  return null;
}

export function FieldMessageText({ message }: { message: FieldMessage }) {
  const ta = useAdminT();
  return <>{'text' in message ? message.text : ta(message.key, message.params)}</>;
}

export interface FieldProps {
  label: string;
  /** Test id of the control; its error is `${testId}-error`. */
  testId: string;
  error?: FieldMessage | undefined;
  hint?: string;
  children: ReactNode;
  wide?: boolean;
}

/** A label around its control, a hint, and the field's error (the client's check or the server's words). */
export function Field({ label, testId, error, hint, children, wide }: FieldProps) {
  return (
    <div className={`hw-admin-field${wide ? ' hw-admin-field--wide' : ''}${error ? ' hw-admin-field--invalid' : ''}`}>
      <label className="hw-field">
        <span>{label}</span>
        {children}
      </label>
      {hint && <p className="hw-admin-field__hint">{hint}</p>}
      {error && (
        <p className="hw-admin-field__error" role="alert" data-testid={`${testId}-error`}>
          <FieldMessageText message={error} />
        </p>
      )}
    </div>
  );
}

/** Server errors as field messages (the server's own words) for the form's fields. */
export function serverFieldErrors(errors: ServerErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors.fields).map(([field, text]) => [field, { text }]));
}

/** A form's footer: save (and cancel), the general error and a saved notice. */
export function FormFooter({ testId, pending, general, saved, onCancel, saveLabel }: { testId: string; pending: boolean; general: string | null; saved?: boolean; onCancel?: () => void; saveLabel?: string }) {
  const ta = useAdminT();
  return (
    <div className="hw-admin-form__footer">
      {general && (
        <p className="hw-error hw-admin-form__general" role="alert" data-testid={`${testId}-failed`}>
          {general}
        </p>
      )}
      {saved && !general && (
        <p className="hw-admin-form__saved" role="status" data-testid={`${testId}-saved`}>
          {ta('form.saved')}
        </p>
      )}
      <div className="hw-admin-form__buttons">
        {onCancel && (
          <button type="button" className="hw-button" data-testid={`${testId}-cancel`} onClick={onCancel}>
            {ta('form.cancel')}
          </button>
        )}
        <button type="submit" className="hw-button hw-button--primary" data-testid={`${testId}-save`} disabled={pending}>
          {pending ? ta('form.saving') : (saveLabel ?? ta('form.save'))}
        </button>
      </div>
    </div>
  );
}

export function formatWhen(iso: string, lang: Lang): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A ref that scrolls its element into view once, when it appears (a form opened above a long list). */
export function useRevealOnOpen<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return ref;
}

/**
 * A form's submit: check with the server's bounds first, then save; the server's refusals land
 * next to the fields they name, anything else under the form.
 */
export function useFormSubmit<Form, Value, Result>(opts: {
  validate: (form: Form) => Validated<Value>;
  /** The form's field names, to tell field errors from general ones. */
  fields: readonly string[];
  save: { mutate: (value: Value, handlers: { onSuccess: (result: Result) => void; onError: (error: unknown) => void }) => void };
  onSaved: (result: Result) => void;
}) {
  const ta = useAdminT();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const submit = (form: Form) => (e: FormEvent) => {
    e.preventDefault();
    const checked = opts.validate(form);
    setGeneral(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    opts.save.mutate(checked.value, {
      onSuccess: opts.onSaved,
      onError: (error) => {
        const s = serverErrors(error, opts.fields);
        setErrors(serverFieldErrors(s));
        setGeneral(s.message ?? (Object.keys(s.fields).length ? ta('form.fixErrors') : null));
      },
    });
  };
  return { errors, general, submit };
}
