import { cellToParent, getResolution } from 'h3-js';
import { useCountermeasureLayer } from '../api/use-countermeasures.js';
import { verdictCss } from '../lib/verdict.js';
import { useCmT } from '../strings.js';
import type { CmKey } from '../strings.js';

export interface CellCountermeasuresProps {
  cell: string;
  /** Store managers, analysts and admins may create; viewers only read. */
  canCreate: boolean;
  onNew: () => void;
  onOpen: (id: number) => void;
}

/** Whether two cells overlap in the H3 hierarchy (one is the other or its ancestor). */
function overlaps(a: string, b: string): boolean {
  const ra = getResolution(a);
  const rb = getResolution(b);
  return ra >= rb ? cellToParent(a, rb) === b : cellToParent(b, ra) === a;
}

/** In the cell panel: the countermeasures covering the clicked hexagon, and "new countermeasure here". */
export function CellCountermeasures({ cell, canCreate, onNew, onOpen }: CellCountermeasuresProps) {
  const t = useCmT();
  const layer = useCountermeasureLayer();
  const here = (layer.data ?? []).filter((c) => c.cells.some((x) => overlaps(x, cell)));
  return (
    <div className="hw-cm-cell" data-testid="cell-countermeasures">
      {here.length > 0 && (
        <>
          <h3 className="hw-cm-cell__title">{t('cm.inCell')}</h3>
          <ul className="hw-cm-cell__list">
            {here.map((c) => (
              <li key={c.id}>
                <button type="button" className="hw-button hw-button--ghost" data-testid="cm-open" data-countermeasure-id={c.id} onClick={() => onOpen(c.id)}>
                  <span className="hw-cm-dot" style={{ background: verdictCss(c.verdict) }} /> {c.title} · {t(`cm.verdict.${c.verdict}` as CmKey)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {canCreate && (
        <button type="button" className="hw-button" data-testid="cm-new" onClick={onNew}>
          {t('cm.new')}
        </button>
      )}
    </div>
  );
}
