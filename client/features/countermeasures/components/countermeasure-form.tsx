import { useMemo, useState } from 'react';
import { cellToLatLng } from 'h3-js';
import { COUNTERMEASURE_KINDS, COUNTERMEASURE_LIMITS, INCIDENT_KINDS_COUNTED } from '../../../../server/domain/countermeasure-vocabulary.js';
import { useT } from '../../../i18n/i18n.js';
import { appNow } from '../../../lib/clock.js';
import { useCreateCountermeasure, usePickableStores } from '../api/use-countermeasures.js';
import type { CreateInput } from '../api/use-countermeasures.js';
import { useCmT } from '../strings.js';
import type { CmKey } from '../strings.js';

// the server's own lists (server/domain), not copies
const KINDS = COUNTERMEASURE_KINDS;
const COUNTS = INCIDENT_KINDS_COUNTED;

export interface CountermeasureFormProps {
  /** The clicked hexagon (h3-js id). */
  cell: string;
  onCreated: (id: number) => void;
  onCancel: () => void;
}

/** Today (the server's clock) in the browser's zone as YYYY-MM-DD (the server reads the date in the store's city). */
function today(): string {
  const d = appNow();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Squared distance in degrees, enough to find the nearest store of a city. */
function near(a: [number, number], b: [number, number]): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
}

/** Turns the clicked cell into a countermeasure of one of the user's stores. */
export function CountermeasureForm({ cell, onCreated, onCancel }: CountermeasureFormProps) {
  const t = useCmT();
  const tApp = useT();
  const stores = usePickableStores();
  const create = useCreateCountermeasure();
  const nearest = useMemo(() => {
    const centre = cellToLatLng(cell);
    return [...(stores.data ?? [])].sort((a, b) => near([a.lat, a.lng], centre) - near([b.lat, b.lng], centre))[0]?.id ?? null;
  }, [stores.data, cell]);
  const [storeId, setStoreId] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<CreateInput['kind']>('route_change');
  const [incidentKind, setIncidentKind] = useState<NonNullable<CreateInput['incidentKind']>>('accident');
  const [startDate, setStartDate] = useState(today());
  const [owner, setOwner] = useState('');
  const [note, setNote] = useState('');
  const chosenStore = storeId ?? nearest;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (chosenStore === null) return;
    create.mutate(
      { storeId: chosenStore, title, kind, incidentKind, startDate, owner, note: note.trim() ? note : null, cells: [cell] },
      { onSuccess: (created) => onCreated(created.id) },
    );
  };

  return (
    <aside className="hw-panel" data-testid="countermeasure-form" aria-label={t('cm.formTitle')}>
      <header className="hw-panel__header">
        <div>
          <h2 className="hw-panel__title">{t('cm.formTitle')}</h2>
          <p className="hw-muted">{t('cm.cells', { cells: cell })}</p>
        </div>
        <button type="button" className="hw-button hw-button--ghost" aria-label={tApp('common.close')} onClick={onCancel}>
          ✕
        </button>
      </header>
      <form className="hw-cm-form" onSubmit={submit}>
        <label>
          <span>{t('cm.store')}</span>
          <select data-testid="cm-store" value={chosenStore ?? ''} onChange={(e) => setStoreId(Number(e.target.value))} required>
            {(stores.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('cm.title')}</span>
          <input data-testid="cm-title" value={title} maxLength={COUNTERMEASURE_LIMITS.titleMax} required onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          <span>{t('cm.kind')}</span>
          <select data-testid="cm-kind" value={kind} onChange={(e) => setKind(e.target.value as CreateInput['kind'])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cm.kind.${k}` as CmKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('cm.counts')}</span>
          <select data-testid="cm-counts" value={incidentKind} onChange={(e) => setIncidentKind(e.target.value as typeof incidentKind)}>
            {COUNTS.map((k) => (
              <option key={k} value={k}>
                {t(`cm.counts.${k}` as CmKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('cm.startDate')}</span>
          <input data-testid="cm-start" type="date" value={startDate} required onChange={(e) => setStartDate(e.target.value)} />
        </label>
        <label>
          <span>{t('cm.owner')}</span>
          <input data-testid="cm-owner" value={owner} maxLength={COUNTERMEASURE_LIMITS.ownerMax} required onChange={(e) => setOwner(e.target.value)} />
        </label>
        <label>
          <span>{t('cm.note')}</span>
          <textarea data-testid="cm-note" value={note} maxLength={COUNTERMEASURE_LIMITS.noteMax} rows={3} onChange={(e) => setNote(e.target.value)} />
        </label>
        {create.isError && (
          <p className="hw-error" role="alert" data-testid="cm-error">
            {create.error.message}
          </p>
        )}
        <div className="hw-cm-form__actions">
          <button type="submit" className="hw-button" data-testid="cm-create" disabled={create.isPending || chosenStore === null}>
            {create.isPending ? t('cm.saving') : t('cm.create')}
          </button>
          <button type="button" className="hw-button hw-button--ghost" onClick={onCancel}>
            {t('cm.cancel')}
          </button>
        </div>
      </form>
    </aside>
  );
}
