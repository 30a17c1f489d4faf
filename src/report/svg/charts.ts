// The three comparison charts of the report: Table 2 upper and lower (paper vs simulated, ring
// and P2P, with the simulated 95 % interval) and Fig. 15 (simulated only; the paper's values are
// withheld).
import type { Method } from '../../core/method.ts';
import { barChartSvg } from './bar-chart.ts';
import { ciOf } from '../stats.ts';
import type { Bar, BarGroup, BarSeries } from './bar-chart.ts';
import type { Cell, ResultRow } from '../cells.ts';
import { METRIC_AXIS, METRIC_TITLE, serverTitle } from '../labels.ts';
import type { Metric } from '../../paper/table2.ts';

const PAPER_VS_SIM: BarSeries[] = [
  { key: 'ring-paper', label: 'Ring, paper', fill: '#c6dbef', stroke: '#3182bd' },
  { key: 'ring-sim', label: 'Ring, simulated', fill: '#3182bd', stroke: '#08519c' },
  { key: 'p2p-paper', label: 'P2P, paper', fill: '#fdd0a2', stroke: '#e6550d' },
  { key: 'p2p-sim', label: 'P2P, simulated', fill: '#e6550d', stroke: '#a63603' },
];

const SIM_ONLY: BarSeries[] = [
  { key: 'ring-sim', label: 'Ring, simulated', fill: '#3182bd', stroke: '#08519c' },
  { key: 'p2p-sim', label: 'P2P, simulated', fill: '#e6550d', stroke: '#a63603' },
];

function simBar(method: Method, row: ResultRow): Bar {
  const s = row.summary;
  return { series: `${method}-sim`, value: s?.mean ?? null, ci: ciOf(s) };
}

function paperBar(method: Method, row: ResultRow): Bar {
  return { series: `${method}-paper`, value: row.paper, ci: null };
}

function comparedGroup(cell: Cell, label: string, sublabel: string): BarGroup {
  return { label, sublabel, bars: [paperBar('ring', cell.ring), simBar('ring', cell.ring), paperBar('p2p', cell.p2p), simBar('p2p', cell.p2p)] };
}

function byMetric(all: readonly Cell[], metric: Metric): Cell[] {
  return all.filter((c) => c.metric === metric);
}

const UPPER_METRICS: readonly Metric[] = ['function_recovery', 'target_recovery', 'client_disconnection'];
const FIG15_METRICS: readonly Metric[] = ['detection', 'function_recovery', 'target_recovery', 'client_disconnection'];

/** table2UpperSvg: one panel per metric, St and Nt on FTP. */
export function table2UpperSvg(all: readonly Cell[], runs: number): string {
  const upper = all.filter((c) => c.group === 'table2-upper');
  return barChartSvg({
    title: 'Table 2 (upper): one failed target, FTP managed by Mail',
    subtitle: `Paper (means of 10 runs) vs simulated (means of ${runs} runs); fault 5.00 s after a tick`,
    series: PAPER_VS_SIM,
    panels: UPPER_METRICS.map((metric) => ({
      title: METRIC_TITLE[metric],
      yLabel: METRIC_AXIS[metric],
      groups: byMetric(upper, metric).map((c) => comparedGroup(c, c.fault, serverTitle(c.server))),
    })),
  });
}

/** table2LowerSvg: function recovery of FTP and Web 1 for the four fault combinations. */
export function table2LowerSvg(all: readonly Cell[], runs: number): string {
  const lower = byMetric(all.filter((c) => c.group === 'table2-lower'), 'function_recovery');
  const faultOf = (experiment: string, server: string): string => lower.find((c) => c.experiment === experiment && c.server === server)?.fault ?? '?';
  return barChartSvg({
    title: 'Table 2 (lower): FTP and Web 1 fail at once, function recovery',
    subtitle: `Paper (means of 10 runs) vs simulated (means of ${runs} runs); group label: FTP fault / Web 1 fault, then the server`,
    series: PAPER_VS_SIM,
    panels: [
      {
        title: METRIC_TITLE.function_recovery,
        yLabel: METRIC_AXIS.function_recovery,
        groups: lower.map((c) => comparedGroup(c, `${faultOf(c.experiment, 'FTP')}/${faultOf(c.experiment, 'Web1')}`, serverTitle(c.server))),
      },
    ],
  });
}

/** fig15Svg: simulated only, both methods, one panel per metric with the detection delay first. */
export function fig15Svg(all: readonly Cell[], runs: number): string {
  const fig15 = all.filter((c) => c.group === 'fig15');
  return barChartSvg({
    title: 'Fig. 15: Mail, FTP and Web 1 shut down (Nt) at once',
    subtitle: `Simulated only (means of ${runs} runs): the paper's results are withheld from this project`,
    series: SIM_ONLY,
    panels: FIG15_METRICS.map((metric) => ({
      title: METRIC_TITLE[metric],
      yLabel: METRIC_AXIS[metric],
      groups: byMetric(fig15, metric).map((c) => ({ label: serverTitle(c.server), sublabel: c.fault, bars: [simBar('ring', c.ring), simBar('p2p', c.p2p)] })),
    })),
  });
}
