import { useMemo } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import type { Category, IncidentFilters } from '../../../lib/filters.js';
import { useCategories } from '../api/use-categories.js';
import { categoriesHeight, categoriesOption } from '../lib/chart-options.js';
import type { CategoryItem } from '../lib/chart-options.js';
import { categoryPatch, isCategorySelected, withoutDimension } from '../lib/cross-filter.js';
import type { FilterPatch } from '../lib/cross-filter.js';
import { useStatsT } from '../strings.js';
import { ChartCard } from './chart-card.js';
import { EChart } from './echart.js';

export interface CategoriesChartProps {
  filters: IncidentFilters;
  onFilter: (patch: FilterPatch) => void;
}

/**
 * Incidents per category. The chart asks without the category filter, so that every category
 * stays on it with the chosen one highlighted; a click selects a category or clears it.
 */
export function CategoriesChart({ filters, onFilter }: CategoriesChartProps) {
  const t = useT();
  const ts = useStatsT();
  const query = useCategories(withoutDimension(filters, 'categories'));
  const items = query.data?.items;
  const labelOf = useMemo(
    () => (item: CategoryItem) =>
      item.category === 'other' ? `${t(`kind.${item.kind}` as MessageKey)} · ${t('category.other')}` : t(`category.${item.category}` as MessageKey),
    [t],
  );
  const option = useMemo(
    () => (items ? categoriesOption(items, labelOf, (item) => isCategorySelected(filters, item)) : null),
    [items, labelOf, filters],
  );
  const selected = items?.find((item) => isCategorySelected(filters, item));
  return (
    <ChartCard
      testId="chart-categories"
      title={ts('categories.title')}
      query={query}
      empty={!items?.length}
      note={selected ? ts('categories.selected', { category: labelOf(selected) }) : undefined}
    >
      {option && items && (
        <EChart
          option={option}
          height={categoriesHeight(items.length)}
          label={ts('categories.title')}
          onItemClick={({ dataIndex }) => {
            const item = items[dataIndex];
            if (item) onFilter(categoryPatch(filters, { kind: item.kind, category: item.category as Category }));
          }}
          testId="chart-categories"
          testPoints={(chart) =>
            items.map((item, i) => {
              const [x0, y] = chart.convertToPixel({ seriesIndex: 0 }, [0, i]);
              const [x1] = chart.convertToPixel({ seriesIndex: 0 }, [item.count, i]);
              return { key: `${item.kind}:${item.category}`, x: (x0! + x1!) / 2, y: y! };
            })
          }
        />
      )}
    </ChartCard>
  );
}
