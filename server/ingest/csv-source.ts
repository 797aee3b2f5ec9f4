/**
 * A CSV (optionally gzip) file as a stream of records: fs read stream -> gunzip -> csv-parse,
 * joined with stream.pipeline so that an error in any stage (truncated gzip, unclosed quote)
 * destroys the chain and surfaces in the consumer's `for await`. Nothing is held whole in memory;
 * backpressure pauses the file while the consumer awaits a database write.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { Parser } from 'csv-parse';

/** Longest record accepted, in characters. */
export const MAX_RECORD_CHARS = 1_000_000;

/** Records as arrays of strings; the first is the header. */
export function openCsvRecords(file: string): Parser {
  return openCsvSource(file).parser;
}

/**
 * The records, and how many bytes of the file (compressed, for .gz) were read so far: with the
 * file's size, the fraction a progress bar shows.
 */
export function openCsvSource(file: string): { parser: Parser; bytesRead: () => number } {
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    // A row with the wrong number of fields is rejected as a row, not a reason to abort the file.
    relax_column_count: true,
    // A binary or wrongly quoted file could otherwise grow one "record" until memory runs out.
    max_record_size: MAX_RECORD_CHARS,
  });
  const done = (): void => {
    // Errors reach the consumer through the parser, which pipeline destroys with the error.
  };
  const input = createReadStream(file);
  if (/\.gz$/i.test(file)) pipeline(input, createGunzip(), parser, done);
  else pipeline(input, parser, done);
  return { parser, bytesRead: () => input.bytesRead };
}

/** A stream error -> one line a person can act on. */
export function describeStreamError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: string; lines?: number };
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) {
    return 'the gzip file is truncated (unexpected end of file)';
  }
  if (e?.code === 'Z_DATA_ERROR') return `the file is not valid gzip (${e.message})`;
  if (typeof e?.code === 'string' && e.code.startsWith('CSV_')) return `CSV syntax error: ${e.message}`;
  if (e?.code === 'ENOENT') return `file not found: ${e.path ?? ''}`;
  return e instanceof Error ? e.message : String(err);
}
