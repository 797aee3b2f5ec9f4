import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useCancelImport, useCurrentImport, useImportProfiles, useImportStatus, uploadImport } from '../api/use-imports.js';
import type { ImportJob } from '../api/use-imports.js';
import { useAdminT } from '../strings.js';
import type { AdminTranslate } from '../strings.js';
import { QueryState } from './parts.js';

type Rejection = { row: number; field: string; reason: string };

/**
 * The admin page "Import": a CSV or CSV.gz through any import profile the server lists, with the
 * upload's and the import's progress, cancel, and the command line's report. All or nothing:
 * a refused file, a cancel or (strict) any rejected row stores nothing.
 */
export function ImportSection() {
  const ta = useAdminT();
  const profiles = useImportProfiles();
  const current = useCurrentImport();
  const [profileName, setProfileName] = useState('');
  const [coords, setCoords] = useState('wgs84');
  const [strict, setStrict] = useState(false);
  const [assignNearest, setAssignNearest] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const uploadAbort = useRef<AbortController | null>(null);
  const status = useImportStatus(jobId);
  const cancel = useCancelImport();

  const profile = profiles.data?.find((p) => p.name === profileName) ?? profiles.data?.[0];
  // a page opened while an import runs follows that import
  useEffect(() => {
    if (jobId === null && current.data) setJobId(current.data.id);
  }, [current.data, jobId]);
  useEffect(() => () => uploadAbort.current?.abort(), []);

  const job = status.data ?? null;
  const uploading = uploaded !== null;
  const running = uploading || job?.state === 'running';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !profile || running) return;
    setUploadError(null);
    setJobId(null);
    setUploaded(0);
    const abort = new AbortController();
    uploadAbort.current = abort;
    try {
      const started = await uploadImport({ file, profile: profile.name, coords, strict, assignNearest: assignNearest && profile.target === 'incidents' }, setUploaded, abort.signal);
      setJobId(started.id);
    } catch (error) {
      setUploadError((error as Error).message);
    } finally {
      setUploaded(null);
      uploadAbort.current = null;
    }
  };

  const stop = () => {
    if (uploadAbort.current) uploadAbort.current.abort();
    else if (job?.state === 'running') cancel.mutate({ id: job.id });
  };

  return (
    <section className="hw-admin-section" data-testid="admin-import" aria-labelledby="hw-admin-import-title">
      <header className="hw-admin-section__head">
        <h3 id="hw-admin-import-title">{ta('tab.import')}</h3>
      </header>
      <QueryState query={profiles} empty={profiles.data?.length === 0} emptyText={ta('import.noProfiles')} testId="import-profiles" />
      {profile && (
        <form className="hw-admin-form" onSubmit={(e) => void submit(e)} data-testid="import-form">
          <div className="hw-admin-form__grid">
            <label className="hw-admin-field">
              <span>{ta('import.profile')}</span>
              <select data-testid="import-profile" value={profile.name} disabled={running} onChange={(e) => setProfileName(e.target.value)}>
                {profiles.data!.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} ({ta(p.target === 'stores' ? 'import.targetStores' : 'import.targetIncidents')})
                  </option>
                ))}
              </select>
            </label>
            {profile.coords.length > 1 && (
              <label className="hw-admin-field">
                <span>{ta('import.coords')}</span>
                <select data-testid="import-coords" value={coords} disabled={running} onChange={(e) => setCoords(e.target.value)}>
                  {profile.coords.map((c) => (
                    <option key={c} value={c}>
                      {c === 'gcj02' ? 'GCJ-02' : 'WGS-84'}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="hw-admin-field">
              <span>{ta('import.file')}</span>
              <input
                type="file"
                data-testid="import-file"
                accept=".csv,.gz,text/csv,application/gzip"
                disabled={running}
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </label>
          </div>
          <p className="hw-admin-field__hint" data-testid="import-columns">
            {ta('import.required', { columns: profile.columns.filter((c) => c.required).map((c) => c.name).join(', ') })}
          </p>
          {profile.target === 'incidents' && (
            <label className="hw-admin-check">
              <input type="checkbox" data-testid="import-assign" checked={assignNearest} disabled={running} onChange={(e) => setAssignNearest(e.target.checked)} />{' '}
              {ta('import.assign')}
            </label>
          )}
          <label className="hw-admin-check">
            <input type="checkbox" data-testid="import-strict" checked={strict} disabled={running} onChange={(e) => setStrict(e.target.checked)} />{' '}
            {ta('import.strict')}
          </label>
          <div className="hw-admin-form__footer">
            {uploadError && (
              <p className="hw-error hw-admin-form__general" role="alert" data-testid="import-upload-error">
                {ta('import.uploadFailed', { message: uploadError })}
              </p>
            )}
            <div className="hw-admin-form__buttons">
              {running && (
                <button type="button" className="hw-button" data-testid="import-cancel" onClick={stop} disabled={cancel.isPending}>
                  {ta('import.cancel')}
                </button>
              )}
              <button type="submit" className="hw-button hw-button--primary" data-testid="import-submit" disabled={!file || running}>
                {ta('import.start')}
              </button>
            </div>
          </div>
        </form>
      )}
      {uploading && (
        <div className="hw-admin-import__progress" data-testid="import-uploading">
          <span>{ta('import.uploading', { percent: Math.round(uploaded * 100) })}</span>
          <progress max={1} value={uploaded} />
        </div>
      )}
      {job && <JobView job={job} ta={ta} />}
    </section>
  );
}

function JobView({ job, ta }: { job: ImportJob; ta: AdminTranslate }) {
  const { rowsRead, bytesRead, totalBytes } = job.progress;
  const fraction = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 0;
  return (
    <div className="hw-admin-import" data-testid="import-job" data-state={job.state} data-job-id={job.id}>
      <p className="hw-admin-row__sub">
        {ta('import.fileLine', { file: job.fileName, profile: job.profile })}
      </p>
      {(job.state === 'running' || job.state === 'done') && (
        <div className="hw-admin-import__progress">
          <span data-testid="import-progress-text">
            {ta('import.progress', { rows: rowsRead.toLocaleString(), percent: Math.round((job.state === 'done' ? 1 : fraction) * 100) })}
          </span>
          <progress data-testid="import-progress" data-rows-read={rowsRead} max={1} value={job.state === 'done' ? 1 : fraction} />
        </div>
      )}
      {job.state === 'done' && job.report && <Report report={job.report} ta={ta} />}
      {(job.state === 'failed' || job.state === 'cancelled') && (
        <div className="hw-admin-import__failed">
          <p className="hw-error" role="alert" data-testid="import-error">
            {ta(job.state === 'cancelled' ? 'import.cancelled' : 'import.failed')} {job.error}
          </p>
          {job.refusedRows && (
            <>
              <Reasons byReason={job.refusedRows.rejectedByReason} ta={ta} />
              <RejectedRows rows={job.refusedRows.rejected} count={job.refusedRows.rejectedCount} testId="import-refused-rows" ta={ta} />
            </>
          )}
        </div>
      )}
    </div>
  );
}

function Report({ report, ta }: { report: NonNullable<ImportJob['report']>; ta: AdminTranslate }) {
  return (
    <div className="hw-admin-import__report" data-testid="import-report">
      <dl className="hw-admin-import__counts">
        <dt>{ta('import.rowsRead')}</dt>
        <dd data-testid="import-rows-read">{report.rowsRead.toLocaleString()}</dd>
        <dt>{ta('import.imported')}</dt>
        <dd data-testid="import-imported">
          {report.imported.toLocaleString()}
          {report.cities !== null ? ` (${ta('import.cities', { count: report.cities })})` : ''}
        </dd>
        <dt>{ta('import.duplicates')}</dt>
        <dd data-testid="import-duplicates">{report.duplicates.toLocaleString()}</dd>
        <dt>{ta('import.rejected')}</dt>
        <dd data-testid="import-rejected-count">{report.rejectedCount.toLocaleString()}</dd>
        <dt>{ta('import.seconds')}</dt>
        <dd>{report.seconds.toFixed(1)} s</dd>
      </dl>
      {report.rejectedCount > 0 && (
        <>
          <Reasons byReason={report.rejectedByReason} ta={ta} />
          <RejectedRows rows={report.rejected} count={report.rejectedCount} testId="import-rejected-rows" ta={ta} />
        </>
      )}
    </div>
  );
}

/** Rejected rows by field and problem: rows without coordinates show up here (hk-td: `latitude/longitude: empty (no coordinates)`). */
function Reasons({ byReason, ta }: { byReason: Record<string, number>; ta: AdminTranslate }) {
  const reasons = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
  return (
    <table className="hw-admin-import__table" data-testid="import-reasons">
      <caption>{ta('import.byReason')}</caption>
      <tbody>
        {reasons.map(([reason, n]) => (
          <tr key={reason}>
            <td className="hw-admin-import__num">{n.toLocaleString()}</td>
            <td>{reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Shown a hundred at a time: a wrong file can reject every row. */
function RejectedRows({ rows, count, testId, ta }: { rows: Rejection[]; count: number; testId: string; ta: AdminTranslate }) {
  const [shown, setShown] = useState(100);
  return (
    <div className="hw-admin-import__rows">
      <table className="hw-admin-import__table" data-testid={testId}>
        <caption>{ta('import.rowsCaption', { shown: Math.min(shown, rows.length), count })}</caption>
        <thead>
          <tr>
            <th>{ta('import.row')}</th>
            <th>{ta('import.field')}</th>
            <th>{ta('import.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((r) => (
            <tr key={r.row} data-row={r.row} data-field={r.field}>
              <td className="hw-admin-import__num">{r.row}</td>
              <td>{r.field}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown && (
        <button type="button" className="hw-button hw-button--ghost" onClick={() => setShown((n) => n + 100)}>
          {ta('import.more')}
        </button>
      )}
    </div>
  );
}
