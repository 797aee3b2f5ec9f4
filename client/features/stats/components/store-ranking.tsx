import { useState } from 'react';
import type { IncidentFilters } from '../../../lib/filters.js';
import { RANKING_SORTS, useStoreRanking } from '../api/use-store-ranking.js';
import type { RankingSort } from '../api/use-store-ranking.js';
import { storePatch, withoutDimension } from '../lib/cross-filter.js';
import type { FilterPatch } from '../lib/cross-filter.js';
import { formatChange, formatPerMonth, formatRate, rateTone } from '../lib/format.js';
import { useStatsT } from '../strings.js';
import { ChartCard } from './chart-card.js';

export interface StoreRankingProps {
  filters: IncidentFilters;
  onFilter: (patch: FilterPatch) => void;
  /** Closure-rate target (fraction) for the colour of the rate column. */
  target: number;
}

/**
 * Stores over the filter's period against the period of the same length before. Asked without
 * the store filter, so the whole ranking stays with the chosen store marked; a store's name
 * filters the map and the other charts to it (again: back to all).
 */
export function StoreRanking({ filters, onFilter, target }: StoreRankingProps) {
  const t = useStatsT();
  const [sort, setSort] = useState<RankingSort>('incidents');
  const query = useStoreRanking(withoutDimension(filters, 'storeIds'), sort);
  const data = query.data;
  const day = (iso: string) => iso.slice(0, 10);
  return (
    <ChartCard
      testId="store-ranking"
      title={t('ranking.title')}
      query={query}
      empty={!data?.rows.length}
      controls={
        <label className="hw-chart-card__select">
          <span>{t('ranking.sort')}</span>
          <select data-testid="ranking-sort" value={sort} onChange={(e) => setSort(e.target.value as RankingSort)}>
            {RANKING_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`ranking.${s}`)}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {data && (
        <>
          <p className="hw-chart-card__note">{t('ranking.period', { from: day(data.from), to: day(data.to) })}</p>
          {data.withExposure < data.rows.length && (
            <p className="hw-chart-card__note" data-testid="ranking-exposure-missing">
              {t('ranking.exposureMissing', { count: data.rows.length - data.withExposure })}
            </p>
          )}
          <div className="hw-ranking__scroll">
            <table className="hw-ranking">
              <thead>
                <tr>
                  <th scope="col">{t('ranking.store')}</th>
                  <th scope="col">{t('ranking.incidents')}</th>
                  <th scope="col">{t('ranking.perMonth')}</th>
                  <th scope="col">{t('ranking.closureRate')}</th>
                  <th scope="col">{t('ranking.overdue')}</th>
                  <th scope="col">{t('ranking.change')}</th>
                  <th scope="col" title={t('ranking.per1000Tip')}>{t('ranking.per1000Smoothed')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => {
                  const selected = filters.storeIds?.length === 1 && filters.storeIds[0] === row.storeId;
                  const name = `${row.code} ${row.name}`;
                  return (
                    <tr key={row.storeId} className={selected ? 'hw-ranking__row--selected' : undefined} data-testid="ranking-row" data-store-id={row.storeId} aria-selected={selected}>
                      <th scope="row">
                        <button type="button" className="hw-ranking__store" data-testid="ranking-store" title={t('ranking.filter', { store: name })} onClick={() => onFilter(storePatch(filters, row.storeId))}>
                          <span className="hw-ranking__code">{row.code}</span> {row.name}
                        </button>
                      </th>
                      <td>{row.incidents.toLocaleString()}</td>
                      <td>{formatPerMonth(row.perMonth)}</td>
                      <td className={`hw-tone--${rateTone(row.closureRate, target)}`}>{formatRate(row.closureRate)}</td>
                      <td className={row.overdue > 0 ? 'hw-tone--bad' : undefined}>{row.overdue.toLocaleString()}</td>
                      <td className={row.change !== null && row.change > 0 ? 'hw-tone--bad' : row.change !== null && row.change < 0 ? 'hw-tone--good' : undefined}>
                        {formatChange(row.change, t('ranking.new'))}
                      </td>
                      <td data-testid="ranking-per1000">
                        {row.per1000Smoothed === null ? (
                          <span className="hw-muted">{t('ranking.noExposure')}</span>
                        ) : (
                          <>
                            {row.per1000Smoothed.toFixed(2)} <small className="hw-muted">{t('ranking.per1000Raw', { raw: row.per1000!.toFixed(2) })}</small>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ChartCard>
  );
}
