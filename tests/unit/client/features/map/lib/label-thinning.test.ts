import { describe, expect, test } from 'vitest';
import { thinLabels } from '../../../../../../client/features/map/lib/label-thinning.js';
import type { LabelBox } from '../../../../../../client/features/map/lib/label-thinning.js';

const box = (id: string, x: number, y: number, priority = 0, width = 60, height = 16): LabelBox<string> => ({ id, x, y, width, height, priority });

/** Independent check: do two kept labels' boxes (grown by the gap) intersect? */
function intersect(a: LabelBox<string>, b: LabelBox<string>, gap: number): boolean {
  const ax = [a.x - gap, a.x + a.width + gap];
  const bx = [b.x - gap, b.x + b.width + gap];
  const ay = [a.y - gap, a.y + a.height + gap];
  const by = [b.y - gap, b.y + b.height + gap];
  return Math.min(ax[1]!, bx[1]!) > Math.max(ax[0]!, bx[0]!) && Math.min(ay[1]!, by[1]!) > Math.max(ay[0]!, by[0]!);
}

describe('label thinning', () => {
  test('labels far apart are all kept', () => {
    expect([...thinLabels([box('a', 0, 0), box('b', 100, 0), box('c', 0, 40)])].sort()).toEqual(['a', 'b', 'c']);
  });

  test('of two overlapping labels the first is kept, the second dropped', () => {
    expect([...thinLabels([box('a', 0, 0), box('b', 30, 5)])]).toEqual(['a']);
  });

  test('a higher priority wins whatever the order (the selected store keeps its name)', () => {
    expect([...thinLabels([box('a', 0, 0), box('b', 30, 5, 10)])]).toEqual(['b']);
  });

  test('the gap counts: boxes 6 px apart collide with a 4 px gap, not with none', () => {
    // a spans x 0..60, b starts at 66: the grown boxes (±4) overlap, the bare ones do not.
    expect(thinLabels([box('a', 0, 0), box('b', 66, 0)], 4).size).toBe(1);
    expect(thinLabels([box('a', 0, 0), box('b', 66, 0)], 0).size).toBe(2);
  });

  test('a dropped label does not block a later one (only kept labels do)', () => {
    // b collides with a and c, but a and c do not collide: a and c are both kept.
    expect([...thinLabels([box('a', 0, 0), box('b', 50, 0), box('c', 100, 0)], 0)].sort()).toEqual(['a', 'c']);
  });

  test('labels not laid out (no area) are left out', () => {
    expect([...thinLabels([box('a', 0, 0, 0, 0, 16), box('b', 200, 0)])]).toEqual(['b']);
  });

  test('a dense cluster: no two kept labels overlap, and every dropped one overlaps a kept one', () => {
    // 160 stores on a 13 × 13 grid 25 px apart, labels 60 × 16 px (the count, a city at zoom 11).
    const labels = Array.from({ length: 160 }, (_, i) => box(`s${i}`, (i % 13) * 25, Math.floor(i / 13) * 25, i % 7));
    const kept = thinLabels(labels, 4);
    const keptBoxes = labels.filter((l) => kept.has(l.id));
    expect(kept.size).toBeGreaterThan(10);
    expect(kept.size).toBeLessThan(80);
    for (let i = 0; i < keptBoxes.length; i++) for (let j = i + 1; j < keptBoxes.length; j++) expect(intersect(keptBoxes[i]!, keptBoxes[j]!, 4)).toBe(false);
    for (const l of labels.filter((x) => !kept.has(x.id))) expect(keptBoxes.some((k) => intersect(k, l, 4))).toBe(true);
  });
});
