/**
 * ECharts with only the parts the dashboard draws (bar, line, heatmap; grid, tooltip, legend,
 * visual map, mark line, aria) and the SVG renderer. Imported dynamically by `EChart`, so it
 * lands in its own chunk that loads when the dashboard first opens, not with the app.
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
// renamed: react-hooks would take echarts' `use` for React's use() hook
import { init, use as registerEcharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

registerEcharts([BarChart, HeatmapChart, LineChart, AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { init };
