/**
 * Which alert cells hold a countermeasure judged `effective` (issue 16): the alert scan says so
 * when such a cell becomes a hot spot again, since the fix has stopped working or moved the
 * problem elsewhere.
 */
import { cellToChildren, cellToParent, getResolution } from 'h3-js';
import type { Countermeasure } from '../store/countermeasures.js';
import type { IncidentStore } from '../store/types.js';

export interface EffectiveCountermeasure {
  id: number;
  title: string;
  startDate: string;
  rateRatio: number | null;
}

/** Countermeasures a scan looks at, at most (newest first). */
const MAX_WATCHED = 500;

/** `storeId|cell` at `resolution` -> the effective countermeasures of that store covering the cell. */
export async function effectiveCountermeasuresByCell(
  store: IncidentStore,
  resolution: number,
  now: Date,
): Promise<Map<string, EffectiveCountermeasure[]>> {
  const list = await store.countermeasures.list({ scope: { all: true }, limit: MAX_WATCHED });
  const out = new Map<string, EffectiveCountermeasure[]>();
  for (const cm of list) {
    const evaluation = await store.countermeasures.evaluate(cm, now);
    if (evaluation.verdict !== 'effective') continue;
    const entry = { id: cm.id, title: cm.title, startDate: cm.startDate, rateRatio: evaluation.rateRatio };
    for (const cell of cellsAt(cm, resolution)) {
      const key = `${cm.storeId}|${cell}`;
      out.set(key, [...(out.get(key) ?? []), entry]);
    }
  }
  return out;
}

/** The countermeasure's cells as cells of `resolution`: the parent of a finer cell, the children of a coarser one. */
function cellsAt(cm: Countermeasure, resolution: number): Set<string> {
  const cells = new Set<string>();
  for (const cell of cm.cells) {
    const r = getResolution(cell);
    if (r >= resolution) cells.add(cellToParent(cell, resolution));
    else for (const child of cellToChildren(cell, resolution)) cells.add(child);
  }
  return cells;
}
