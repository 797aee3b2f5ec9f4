/**
 * Seeded randomness for the demo. Everything the demo writes comes from an `Rng` built here, never
 * from Math.random or the clock, so the same seed and `now` give exactly the same rows.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast counting" generator from PractRand):
 * 128 bits of state, passes PractRand/BigCrush, and needs only 32-bit integer ops, which keeps
 * 10M incidents of sampling cheap in plain JavaScript.
 */

/** 32-bit FNV-1a of a string: stable across runs and platforms (used to derive sub-seeds). */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** splitmix32 finaliser: spreads a counter into well-mixed seed words. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed any integer (the demo's `--seed`)
   * @param stream a label that gives an independent stream per concern ('stores', 'incidents'...),
   *   so changing how incidents are drawn does not move the stores.
   */
  constructor(seed: number, stream = '') {
    const s = hashString(`${seed}:${stream}`);
    this.a = mix32(s);
    this.b = mix32(s ^ 0x6a09e667);
    this.c = mix32(s ^ 0xbb67ae85);
    this.d = mix32(s ^ 0x3c6ef372);
    // The first outputs of sfc32 still correlate with the seed words.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box-Muller; the spare value is dropped to keep the stream simple). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) would be -Infinity
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** exp(N(ln median, sigma)): positive, right-skewed durations and activity levels. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Index drawn from a cumulative weight table (see `cumulative`). */
  pickIndex(cdf: Float64Array | readonly number[]): number {
    const total = cdf[cdf.length - 1]!;
    const x = this.float() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** One of `items`, by their weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    return items[this.pickIndex(cumulative(items.map(([, w]) => w)))]![0];
  }
}

/** Running sums of weights, for `Rng.pickIndex`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const cdf = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    cdf[i] = sum;
  }
  return cdf;
}
