import { gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { classifyEmerging, EMERGING_CLASSES, EMERGING_MEANING, emergingHotSpots } from '../../../../server/domain/hotspots/emerging.js';
import type { EmergingClass, StepSignificance } from '../../../../server/domain/hotspots/emerging.js';

/** 'H' hot, 'C' cold, '.' neither; z follows the letter unless given. */
function steps(pattern: string, z?: number[]): StepSignificance[] {
  return [...pattern].map((ch, i) => ({
    z: z?.[i] ?? (ch === 'H' ? 3 : ch === 'C' ? -3 : 0),
    hot: ch === 'H',
    cold: ch === 'C',
  }));
}

const rising = Array.from({ length: 12 }, (_, i) => 2 + i * 0.2);
const falling = [...rising].reverse();
// no monotonic trend: S = 0 for this zig-zag (checked: p = 1 > 0.05)
const level = [3, 2.5, 3.2, 2.6, 3.1, 2.7, 2.7, 3.1, 2.6, 3.2, 2.5, 3];

describe('classifyEmerging (ArcGIS Emerging Hot Spot Analysis definitions, 12 weekly steps)', () => {
  const cases: Array<[EmergingClass, string, number[]?]> = [
    ['new_hot', '...........H'],
    ['consecutive_hot', '.........HHH'],
    ['intensifying_hot', 'HHHHHHHHHHHH', rising],
    ['persistent_hot', 'HHHHHHHHHHHH', level],
    ['diminishing_hot', 'HHHHHHHHHHHH', falling],
    ['sporadic_hot', 'H..H...H...H'],
    ['oscillating_hot', 'C..H...C...H'],
    ['historical_hot', 'HHHHHHHHHHH.'],
    ['no_pattern', '..H.........'],
    ['no_pattern', 'HHHHHHHHHH..'], // 10 of 12 is below 90 %
    ['new_cold', '...........C'],
    ['consecutive_cold', '..........CC'],
    ['intensifying_cold', 'CCCCCCCCCCCC', rising.map((z) => -z)],
    ['persistent_cold', 'CCCCCCCCCCCC', level.map((z) => -z)],
    ['diminishing_cold', 'CCCCCCCCCCCC', falling.map((z) => -z)],
    ['sporadic_cold', 'C...C..C...C'],
    ['oscillating_cold', 'H...C..H...C'],
    ['historical_cold', 'CCCCCCCCCCC.'],
  ];

  it.each(cases)('%s from %s', (expected, pattern, z) => {
    expect(classifyEmerging(steps(pattern, z)).class).toBe(expected);
  });

  it('hot after an on-and-off past with a run of two is sporadic, not consecutive', () => {
    expect(classifyEmerging(steps('..H.......HH')).class).toBe('sporadic_hot');
  });

  it('marks the start of the current run: the same episode while it lasts', () => {
    expect(classifyEmerging(steps('...........H')).runStart).toBe(11);
    expect(classifyEmerging(steps('.........HHH')).runStart).toBe(9);
    expect(classifyEmerging(steps('.........HH.')).runStart).toBeNull();
  });

  it('uses the trend only at 90 % hot: a rising z on a new spot stays new', () => {
    expect(classifyEmerging(steps('...........H', rising)).class).toBe('new_hot');
  });

  it('has a plain-words meaning for every class', () => {
    expect(EMERGING_CLASSES).toHaveLength(17);
    for (const c of EMERGING_CLASSES) expect(EMERGING_MEANING[c].length).toBeGreaterThan(10);
  });

  it('rejects an empty series', () => {
    expect(() => classifyEmerging([])).toThrow(/steps/);
  });
});

describe('emergingHotSpots over a cube of H3 cells', () => {
  it('finds a cluster that appears in the final week as a new hot spot, and nothing else', () => {
    const centre = latLngToCell(26.08, 119.29, 9);
    const cells = gridDisk(centre, 4); // 61 cells
    const cluster = new Set(gridDisk(centre, 1));
    // a steady background that varies per cell and week (deterministic), then a burst of 8 more
    // a week in the seven cells around the centre: Gi* finds clusters, not lone cells
    const counts = Array.from({ length: 12 }, (_, week) =>
      cells.map((c, k) => 3 + ((k * 7 + week * 3) % 5) + (week === 11 && cluster.has(c) ? 8 : 0)),
    );
    const result = emergingHotSpots({ cells, counts });
    const flagged = result.cells.filter((_, k) => result.classes[k] !== 'no_pattern');
    expect(new Set(flagged)).toEqual(cluster);
    for (const cell of cluster) {
      const k = result.cells.indexOf(cell);
      expect(result.classes[k]).toBe('new_hot');
      expect(result.runStart[k]).toBe(11);
      expect(result.finalZ[k]).toBeGreaterThan(3);
    }
  });

  it('finds a cluster growing week by week as intensifying', () => {
    const centre = latLngToCell(26.08, 119.29, 9);
    const cells = gridDisk(centre, 4);
    const cluster = new Set(gridDisk(centre, 1));
    const counts = Array.from({ length: 12 }, (_, week) =>
      cells.map((c, k) => 3 + ((k * 7 + week * 3) % 5) + (cluster.has(c) ? 6 + week : 0)),
    );
    const result = emergingHotSpots({ cells, counts });
    expect(result.classes[result.cells.indexOf(centre)]).toBe('intensifying_hot');
  });
});
