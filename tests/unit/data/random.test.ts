import { describe, expect, it } from 'vitest';
import { cumulative, hashString, Rng } from '../../../data/demo/random.js';

describe('Rng', () => {
  it('repeats its stream for the same seed and stream label', () => {
    const a = new Rng(7, 'x');
    const b = new Rng(7, 'x');
    const xs = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs);
  });

  it.each([
    [7, 'x', 8, 'x'],
    [7, 'x', 7, 'y'],
  ])('differs between seed %i/%s and %i/%s', (s1, l1, s2, l2) => {
    const a = new Rng(s1, l1);
    const b = new Rng(s2, l2);
    expect(Array.from({ length: 8 }, () => a.uint32())).not.toEqual(Array.from({ length: 8 }, () => b.uint32()));
  });

  it('draws uniform floats in [0, 1) and integers in [0, n)', () => {
    const rng = new Rng(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const x = rng.float();
      [sum, min, max] = [sum + x, Math.min(min, x), Math.max(max, x)];
      seen.add(rng.int(6));
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('draws normals with mean 0 and deviation 1', () => {
    const rng = new Rng(2);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeCloseTo(1, 1);
  });

  it('picks indexes by weight, never a zero-weight one', () => {
    const rng = new Rng(3);
    const cdf = cumulative([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[rng.pickIndex(cdf)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.6);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.4);
  });
});

describe('hashString', () => {
  it('is FNV-1a', () => {
    // Reference values of 32-bit FNV-1a.
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });
});
