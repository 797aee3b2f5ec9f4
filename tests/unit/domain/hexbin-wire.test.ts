/**
 * The wire form of map.hexbins (server/domain/hexbin-wire.ts): lossless for every answer the
 * store can give (closed = count − open, the rest any counts), and smaller once compressed for
 * counts that are roughly proportional, as a real map's are.
 */
import fc from 'fast-check';
import { latLngToCell } from 'h3-js';
import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeHexbins, encodeHexbins } from '../../../server/domain/hexbin-wire.js';
import type { Hexbins } from '../../../server/domain/hexbin-wire.js';

/** Hexbins the way queryHexbins builds them: `open` is count − closed. */
const hexbinsArb: fc.Arbitrary<Hexbins> = fc
  .array(
    fc.record({
      count: fc.integer({ min: 0, max: 5_000_000 }),
      weighted: fc.integer({ min: 0, max: 40_000_000 }),
      closed: fc.integer({ min: 0, max: 5_000_000 }),
      overdue: fc.integer({ min: 0, max: 5_000_000 }),
      ai: fc.integer({ min: 0, max: 5_000_000 }),
      pending: fc.integer({ min: 0, max: 5_000_000 }),
    }),
    { maxLength: 60 },
  )
  .map((cells) => ({
    resolution: 8,
    cells: cells.map((_, i) => latLngToCell(22.3 + i * 0.01, 114.1, 8)),
    count: cells.map((c) => c.count),
    weighted: cells.map((c) => c.weighted),
    open: cells.map((c) => c.count - c.closed),
    closed: cells.map((c) => c.closed),
    overdue: cells.map((c) => c.overdue),
    ai: cells.map((c) => c.ai),
    pending: cells.map((c) => c.pending),
    max: Math.max(0, ...cells.map((c) => c.count)),
    total: cells.reduce((s, c) => s + c.count, 0),
  }));

/** The size the server sends (compression's brotli, quality 4), of the answer as tRPC wraps it. */
function sentBytes(data: unknown): number {
  return brotliCompressSync(Buffer.from(JSON.stringify({ result: { data } })), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).length;
}

describe('hexbins on the wire', () => {
  it('decodes to exactly the hexbins encoded, through JSON', () => {
    fc.assert(
      fc.property(hexbinsArb, (h) => {
        expect(decodeHexbins(JSON.parse(JSON.stringify(encodeHexbins(h))))).toEqual(h);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps cells, count, max and total readable as they are', () => {
    const h: Hexbins = { resolution: 9, cells: ['8941a4b1a2bffff'], count: [7], weighted: [13], open: [2], closed: [5], overdue: [1], ai: [4], pending: [3], max: 7, total: 7 };
    const wire = encodeHexbins(h);
    expect(wire).toMatchObject({ resolution: 9, cells: h.cells, count: [7], max: 7, total: 7 });
    expect(wire).not.toHaveProperty('closed');
  });

  it('sends an empty map as empty columns', () => {
    const empty: Hexbins = { resolution: 7, cells: [], count: [], weighted: [], open: [], closed: [], overdue: [], ai: [], pending: [], max: 0, total: 0 };
    expect(decodeHexbins(encodeHexbins(empty))).toEqual(empty);
  });

  it('refuses columns whose lengths differ from the cells', () => {
    const wire = encodeHexbins({ resolution: 7, cells: ['872830828ffffff'], count: [1], weighted: [1], open: [1], closed: [0], overdue: [0], ai: [0], pending: [0], max: 1, total: 1 });
    expect(() => decodeHexbins({ ...wire, ai: { ratio: 0, residual: [] } })).toThrow(/ai has 0 values for 1 cells/);
  });

  it('compresses proportional counts to fewer bytes than plain columns', () => {
    // 800 cells of 50..5,000 incidents with shares that vary around fixed ones, as on the demo
    let seed = 7;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const n = 800;
    const count = Array.from({ length: n }, () => Math.round(50 + rand() * 4950));
    const share = (c: number, p: number) => Math.round(c * p * (0.8 + 0.4 * rand()));
    const closed = count.map((c) => share(c, 0.95));
    const open = count.map((c, i) => c - closed[i]!);
    const ai = count.map((c) => share(c, 0.7));
    const h: Hexbins = {
      resolution: 8,
      cells: count.map((_, i) => latLngToCell(22.2 + (i % 40) * 0.01, 113.9 + Math.floor(i / 40) * 0.01, 8)),
      count,
      weighted: count.map((c) => share(c, 2.2)),
      open,
      closed,
      overdue: open.map((o) => share(o, 0.3)),
      ai,
      pending: ai.map((a) => share(a, 0.02)),
      max: Math.max(...count),
      total: count.reduce((s, c) => s + c, 0),
    };
    const plain = sentBytes(h) / n;
    const wire = sentBytes(encodeHexbins(h)) / n;
    expect(wire).toBeLessThan(plain * 0.85);
  });
});
