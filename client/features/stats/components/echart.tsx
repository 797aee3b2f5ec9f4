import { useEffect, useRef, useState } from 'react';
import type { ECharts } from 'echarts/core';
import type { ChartOption } from '../lib/chart-options.js';
import { setChartTestHook } from '../lib/test-hook.js';
import type { ChartPoint } from '../lib/test-hook.js';
import { useT } from '../../../i18n/i18n.js';
import { useStatsT } from '../strings.js';

type EchartsModule = typeof import('../lib/echarts.js');
let echartsModule: Promise<EchartsModule> | null = null;

/** The ECharts chunk, loaded once; a failed load may be tried again. */
function loadEcharts(): Promise<EchartsModule> {
  echartsModule ??= import('../lib/echarts.js').catch((error: unknown) => {
    echartsModule = null;
    throw error;
  });
  return echartsModule;
}

export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
}

export interface EChartProps {
  option: ChartOption;
  /** CSS pixels. */
  height: number;
  /** What the chart shows, for screen readers. */
  label: string;
  onItemClick?: (click: ChartClick) => void;
  /** Test hook: chart-relative centres of the clickable items (see lib/test-hook.ts). */
  testId?: string;
  testPoints?: (chart: ECharts) => ChartPoint[];
}

/**
 * One ECharts instance on a div: created when the chunk is in, given each new option whole
 * (`notMerge`), resized with its box, disposed on unmount. The only place that touches ECharts.
 */
export function EChart({ option, height, label, onItemClick, testId, testPoints }: EChartProps) {
  const t = useStatsT();
  const tc = useT();
  const box = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const pointsRef = useRef(testPoints);
  pointsRef.current = testPoints;
  // Set by ECharts' `finished` (drawn, animations over); cleared by each new option.
  const settled = useRef(false);

  useEffect(() => {
    let cancelled = false;
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    loadEcharts().then(
      ({ init }) => {
        if (cancelled || !box.current) return;
        instance = init(box.current, null, { renderer: 'svg' });
        instance.on('click', (p) => {
          if (typeof p.seriesIndex === 'number' && typeof p.dataIndex === 'number') clickRef.current?.({ seriesIndex: p.seriesIndex, dataIndex: p.dataIndex });
        });
        instance.on('finished', () => {
          settled.current = true;
        });
        observer = new ResizeObserver(() => instance?.resize());
        observer.observe(box.current);
        setChart(instance);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      cancelled = true;
      observer?.disconnect();
      instance?.dispose();
      setChart(null);
    };
  }, [attempt]);

  useEffect(() => {
    if (!chart) return;
    settled.current = false;
    chart.setOption(option, { notMerge: true });
  }, [chart, option]);

  useEffect(() => {
    if (!chart || !testId) return;
    setChartTestHook(testId, {
      points: () => {
        const rect = box.current?.getBoundingClientRect();
        if (!rect || !pointsRef.current) return [];
        return pointsRef.current(chart).map((p) => ({ ...p, x: rect.left + p.x, y: rect.top + p.y }));
      },
      settled: () => settled.current,
    });
    return () => setChartTestHook(testId, undefined);
  }, [chart, testId]);

  return (
    <div className="hw-echart" style={{ height }} role="img" aria-label={label}>
      <div ref={box} className="hw-echart__canvas" data-ready={chart ? '1' : '0'} />
      {!chart && !loadError && <p className="hw-echart__overlay hw-muted">{t('chart.loading')}</p>}
      {loadError && (
        <p className="hw-echart__overlay hw-error" role="alert">
          {t('state.error', { message: loadError })}{' '}
          <button
            type="button"
            className="hw-button"
            onClick={() => {
              setLoadError(null);
              setAttempt((n) => n + 1);
            }}
          >
            {tc('common.retry')}
          </button>
        </p>
      )}
    </div>
  );
}
