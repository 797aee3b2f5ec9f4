import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestJournal } from '../../../server/store/ingest-journal.js';
import { incident } from '../../support/fixtures.js';

describe('ingest journal', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hexwatch-journal-'));
    path = join(dir, 'j');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back every appended batch in order, dates as dates and date-like text as text', async () => {
    const a = [incident({ externalId: 'a', description: '2024-03-05T03:30:00.000Z' })];
    const b = [incident({ externalId: 'b', closedAt: new Date('2024-04-01T00:00:00Z') }), incident({ externalId: 'c' })];
    const { journal } = await IngestJournal.open(path);
    await journal.append([a]);
    await journal.append([b]);
    expect(journal.size).toBe(statSync(path).size);
    await journal.close();
    const { journal: again, batches } = await IngestJournal.open(path);
    await again.close();
    expect(batches).toEqual([a, b]);
    expect(batches[0]![0]!.occurredAt).toBeInstanceOf(Date);
    expect(batches[0]![0]!.description).toBe('2024-03-05T03:30:00.000Z');
    expect(batches[1]![0]!.closedAt).toEqual(new Date('2024-04-01T00:00:00Z'));
  });

  it('cuts off a torn last line, so that what follows is read again', async () => {
    const { journal } = await IngestJournal.open(path);
    await journal.append([[incident({ externalId: 'kept' })]]);
    await journal.close();
    const intact = statSync(path).size;
    appendFileSync(path, readFileSync(path).subarray(0, 40)); // a crash in the middle of an append
    const { journal: reopened, batches } = await IngestJournal.open(path);
    expect(batches.map((b) => b[0]!.externalId)).toEqual(['kept']);
    expect(statSync(path).size).toBe(intact);
    await reopened.append([[incident({ externalId: 'next' })]]);
    await reopened.close();
    const { journal: last, batches: all } = await IngestJournal.open(path);
    await last.close();
    expect(all.map((b) => b[0]!.externalId)).toEqual(['kept', 'next']);
  });

  it('stops at a line whose checksum does not match', async () => {
    const { journal } = await IngestJournal.open(path);
    await journal.append([[incident({ externalId: 'one' })]]);
    await journal.append([[incident({ externalId: 'two' })]]);
    await journal.close();
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"two"', '"twx"'));
    const { journal: reopened, batches } = await IngestJournal.open(path);
    await reopened.close();
    expect(batches.map((b) => b[0]!.externalId)).toEqual(['one']);
  });

  it('is empty after reset', async () => {
    const { journal } = await IngestJournal.open(path);
    await journal.append([[incident()]]);
    await journal.reset();
    expect(journal.size).toBe(0);
    await journal.close();
    expect(statSync(path).size).toBe(0);
    const { journal: again, batches } = await IngestJournal.open(path);
    await again.close();
    expect(batches).toEqual([]);
  });
});
