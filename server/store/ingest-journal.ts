/**
 * The ingest journal of the embedded engine: an append-only file next to the DuckDB file that
 * holds every acknowledged ingest batch since the last checkpoint, fsynced before the 2xx.
 *
 * Why: DuckDB cannot always replay its own WAL after a crash (scripts/duckdb-wal-repro.ts). When
 * that happens the WAL is set aside and the database opens at its last checkpoint; the batches
 * in this journal are then written again (idempotent on (source, external_id)), so nothing that
 * was acknowledged is lost. After a checkpoint every journalled batch is in the database file
 * and the journal is emptied.
 *
 * Format: one line per appended group, `<sha256 of the JSON, 16 hex> <JSON array of batches>\n`.
 * A crash can only tear the last line (appends are sequential); it was not acknowledged, so
 * opening the journal cuts it off before anything is appended after it.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncidentInput } from './types.js';

/** A batch as one ingest request sent it: written all or nothing. */
export type JournalBatch = readonly IncidentInput[];

const CHECKSUM_CHARS = 16;

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, CHECKSUM_CHARS);
}

// Dates survive the round trip tagged, so that no string field is ever mistaken for one.
function encode(batches: readonly JournalBatch[]): string {
  return JSON.stringify(batches, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : value;
  });
}

function decode(json: string): JournalBatch[] {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$date') return new Date((value as { $date: number }).$date);
    }
    return value;
  }) as JournalBatch[];
}

/** Parses journal text: the complete, intact lines, and the byte length they cover. */
export function parseJournal(text: Buffer): { batches: JournalBatch[]; validBytes: number } {
  const batches: JournalBatch[] = [];
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf(0x0a, offset);
    if (end < 0) break; // torn tail: never acknowledged
    const line = text.subarray(offset, end).toString('utf8');
    const json = line.slice(CHECKSUM_CHARS + 1);
    if (line[CHECKSUM_CHARS] !== ' ' || checksum(json) !== line.slice(0, CHECKSUM_CHARS)) break;
    batches.push(...decode(json));
    offset = end + 1;
  }
  return { batches, validBytes: offset };
}

export class IngestJournal {
  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private bytes: number,
  ) {}

  /**
   * Opens (creating) the journal and cuts off a torn last line. Returns the intact batches too,
   * oldest first, for the caller to re-apply.
   */
  static async open(path: string): Promise<{ journal: IngestJournal; batches: JournalBatch[] }> {
    const text = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    const { batches, validBytes } = parseJournal(text);
    const handle = await open(path, 'a+');
    if (validBytes < text.length) {
      await handle.truncate(validBytes);
      await handle.sync();
    }
    if (text.length === 0) syncDirectory(dirname(path)); // the new file's name is durable too
    return { journal: new IngestJournal(path, handle, validBytes), batches };
  }

  /** Bytes of intact entries: what a checkpoint would let go. */
  get size(): number {
    return this.bytes;
  }

  /** Appends one group of batches and waits until it is on disk (one fsync for the group). */
  async append(batches: readonly JournalBatch[]): Promise<void> {
    if (!batches.length) return;
    const json = encode(batches);
    const line = Buffer.from(`${checksum(json)} ${json}\n`, 'utf8');
    await this.handle.write(line, 0, line.length, null);
    await this.handle.datasync();
    this.bytes += line.length;
  }

  /** Empties the journal: call only once everything in it is in a checkpoint. */
  async reset(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
    this.bytes = 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
