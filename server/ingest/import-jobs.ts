/**
 * Imports started from the browser (admin page "Import"): the uploaded file is in a temporary
 * file in DATA_DIR/imports, and importFile runs on it in the server with a job id the page polls
 * for progress, the final report or the error, and can cancel. All or nothing as the command
 * line: a refused file, a cancel or a stream error store nothing.
 *
 * One browser import at a time per store: DuckDB has one writer, and a second file uploaded while
 * one is importing is refused with a message rather than queued behind it.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dataChanged } from '../ops/data-changed.js';
import type { IncidentStore } from '../store/types.js';
import type { CoordSystem } from './coords.js';
import { ImportError, importFile } from './import-file.js';
import type { ImportProgress, ImportReport, Rejection } from './import-file.js';

/**
 * Rows per writer.write() for browser imports. The writer stages a batch synchronously (DuckDB's
 * appender, H3 cells), so the batch size bounds the longest event-loop stall other users' map
 * queries see. `npm run bench:import-stall` (Hong Kong file, DuckDB, median of 3, 2 loaded cores,
 * two runs): longest stall 645 / 450 ms with the command line's 5,000, 181 / 216 ms with 500, idle
 * floor 63 / 107 ms. Yielding
 * (setImmediate) every 20 ms of reading as well made no measurable difference: the stalls follow
 * the batch writes, not the CSV reading.
 */
export const BROWSER_IMPORT_BATCH_SIZE = 500;


/** Rejected rows a status answer lists one by one (the counts by reason cover all of them). */
export const REJECTIONS_LISTED = 1_000;

/** Finished jobs kept for their report, newest first. */
const FINISHED_KEPT = 20;

export type ImportJobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportJobReport {
  rowsRead: number;
  imported: number;
  duplicates: number;
  /** The first REJECTIONS_LISTED rejected rows in file order: data row number (header not counted), field, reason. */
  rejected: Rejection[];
  rejectedCount: number;
  /** Rejected rows by field and problem, e.g. `latitude: is required` (rows without coordinates). */
  rejectedByReason: Record<string, number>;
  cities: number | null;
  seconds: number;
}

export interface ImportJobDto {
  id: string;
  profile: string;
  /** The uploaded file's name as the browser gave it. */
  fileName: string;
  coords: CoordSystem;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  state: ImportJobState;
  progress: ImportProgress;
  report: ImportJobReport | null;
  /** Why the file was refused or the import aborted (nothing stored), when state is failed or cancelled. */
  error: string | null;
  /** A strict import refused for rejected rows: which rows and why (nothing stored). */
  refusedRows: Pick<ImportJobReport, 'rejected' | 'rejectedCount' | 'rejectedByReason'> | null;
  /** Refuse the whole file when any row is rejected. */
  strict: boolean;
}

interface Job {
  dto: ImportJobDto;
  abort: AbortController;
  done: Promise<void>;
}

export interface StartImport {
  profile: string;
  coords: CoordSystem;
  /** The uploaded file on disk; deleted when the job ends. */
  tempFile: string;
  fileName: string;
  startedBy: string;
  strict: boolean;
  /** `nearest`: attach incidents to the nearest store covering them. */
  assign: 'nearest' | null;
  /** "Now" for the future-time check: the server's clock (env.clock). */
  now: Date;
}

export class ImportBusyError extends Error {}

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private closing = false;

  constructor(private readonly store: IncidentStore) {}

  /** The running job, if any. */
  running(): ImportJobDto | null {
    for (const job of this.jobs.values()) if (job.dto.state === 'running') return job.dto;
    return null;
  }

  /**
   * Starts importing `tempFile` in the background and returns the job at once.
   * @throws ImportBusyError when another browser import is running or the server is stopping.
   */
  start(input: StartImport): ImportJobDto {
    const busy = this.running();
    if (busy) throw new ImportBusyError(`another import is running (${busy.fileName}, started by ${busy.startedBy}); wait for it or cancel it`);
    if (this.closing) throw new ImportBusyError('the server is shutting down');
    const dto: ImportJobDto = {
      id: randomUUID(),
      profile: input.profile,
      fileName: input.fileName,
      coords: input.coords,
      startedBy: input.startedBy,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      state: 'running',
      progress: { rowsRead: 0, bytesRead: 0, totalBytes: 0 },
      report: null,
      error: null,
      refusedRows: null,
      strict: input.strict,
    };
    const abort = new AbortController();
    const job: Job = { dto, abort, done: Promise.resolve() };
    this.jobs.set(dto.id, job);
    job.done = this.run(job, input);
    this.prune();
    return { ...dto };
  }

  get(id: string): ImportJobDto | null {
    const job = this.jobs.get(id);
    return job ? { ...job.dto } : null;
  }

  /** Cancels a running job (it stops at the next batch and rolls back); false when not running. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.dto.state !== 'running') return false;
    job.abort.abort(new Error('cancelled'));
    return true;
  }

  /** Resolves when the job has ended (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.jobs.get(id)?.done;
  }

  /** Cancels what runs and waits for it to roll back (before the store closes). */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.jobs.values()) if (job.dto.state === 'running') job.abort.abort(new Error('server shutting down'));
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private async run(job: Job, input: StartImport): Promise<void> {
    const { dto } = job;
    // Messages of importFile name the file: show the uploaded name, not the temporary path.
    const named = (message: string) => message.split(input.tempFile).join(input.fileName);
    try {
      const report = await importFile(this.store, {
        profile: input.profile,
        file: input.tempFile,
        coords: input.coords,
        assign: input.assign,
        batchSize: BROWSER_IMPORT_BATCH_SIZE,
        strict: input.strict,
        now: input.now,
        signal: job.abort.signal,
        onProgress: (progress) => {
          dto.progress = progress;
        },
        log: () => {},
      });
      dto.report = toJobReport(report);
      dto.progress = { ...dto.progress, rowsRead: report.rowsRead };
      dto.state = 'done';
      if (report.imported > 0) dataChanged({ job: 'import' });
    } catch (error) {
      dto.state = job.abort.signal.aborted ? 'cancelled' : 'failed';
      dto.error = named(error instanceof ImportError ? error.message : `import failed: ${(error as Error).message}`);
      if (error instanceof ImportError && error.rejected) {
        const { rows, count, byReason } = error.rejected;
        dto.refusedRows = { rejected: rows.slice(0, REJECTIONS_LISTED), rejectedCount: count, rejectedByReason: byReason };
      }
      if (!(error instanceof ImportError)) console.error('browser import failed:', error);
    } finally {
      dto.finishedAt = new Date().toISOString();
      await rm(input.tempFile, { force: true }).catch(() => undefined);
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.dto.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.jobs.delete(job.dto.id);
  }
}

function toJobReport(report: ImportReport): ImportJobReport {
  return {
    rowsRead: report.rowsRead,
    imported: report.imported,
    duplicates: report.duplicates,
    rejected: report.rejected.slice(0, REJECTIONS_LISTED),
    rejectedCount: report.rejectedCount,
    rejectedByReason: report.rejectedByReason,
    cities: report.cities ?? null,
    seconds: report.seconds,
  };
}

const registries = new WeakMap<IncidentStore, ImportJobs>();

/** The browser imports of one store (one per server: the upload route and the tRPC procedures share it). */
export function importJobsFor(store: IncidentStore): ImportJobs {
  let jobs = registries.get(store);
  if (!jobs) registries.set(store, (jobs = new ImportJobs(store)));
  return jobs;
}
