/**
 * Store labels thinned by collision (issue 19: ~160 store names overlapped into a grey smear).
 * Greedy in screen space, the way map renderers place symbols: labels in priority order, each
 * kept only when its box overlaps no label kept before it. Pure: boxes in CSS pixels in, the
 * kept ids out.
 */

/** A label's box on screen, CSS pixels, `x`/`y` its top-left corner. */
export interface LabelBox<Id> {
  id: Id;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher first (e.g. the selected store); ties keep the input order, so the result is stable. */
  priority: number;
}

/** Space kept free around every label, CSS pixels. */
export const LABEL_GAP_PX = 4;

/**
 * The ids of the labels to draw: greedily, highest priority first, every label whose box
 * (grown by `gapPx` on each side) overlaps none kept so far. Boxes with no area (not laid out)
 * are left out.
 */
export function thinLabels<Id>(labels: readonly LabelBox<Id>[], gapPx = LABEL_GAP_PX): Set<Id> {
  const order = labels
    .map((label, index) => ({ label, index }))
    .filter(({ label }) => label.width > 0 && label.height > 0)
    .sort((a, b) => b.label.priority - a.label.priority || a.index - b.index);
  const kept: LabelBox<Id>[] = [];
  const ids = new Set<Id>();
  for (const { label } of order) {
    if (kept.some((k) => overlaps(k, label, gapPx))) continue;
    kept.push(label);
    ids.add(label.id);
  }
  return ids;
}

/** Whether two boxes, each grown by `gap` on every side, overlap (touching edges do not). */
function overlaps(a: LabelBox<unknown>, b: LabelBox<unknown>, gap: number): boolean {
  return a.x - gap < b.x + b.width + gap && b.x - gap < a.x + a.width + gap && a.y - gap < b.y + b.height + gap && b.y - gap < a.y + a.height + gap;
}
