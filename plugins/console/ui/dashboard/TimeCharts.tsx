// The four charts over time: requests and error rate, latency percentiles, tokens, cost.
// Clicking a point drills into that bucket's requests.
import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import { Chart } from './Chart';
import { BUCKET_MS, type Window } from './filters';
import { formatMs, formatPercent, formatTokens, formatUsd } from './format';
import { timeSeries } from './series';
import type { SummaryGroup } from './types';

const COLORS = { blue: '#2f6fde', red: '#d1453b', green: '#2e9a5b', amber: '#d48a12', purple: '#7b4fd0', grey: '#6b7785' };

type Format = (value: number) => string;

const axisValues = (format: Format) => (_u: uPlot, ticks: number[]) => ticks.map((v) => format(v));

/**
 * uPlot dots every point only when points are far apart; a lone busy bucket between quiet ones
 * then has no line to show. So where the non-zero values are few, those get a dot.
 */
const SPARSE = 40;
const sparsePoints = (u: uPlot, series: number, show: boolean): number[] | null => {
  if (show) return null;
  const idxs: number[] = [];
  (u.data[series] as (number | null)[]).forEach((v, i) => v !== null && v !== 0 && idxs.push(i));
  return idxs.length > 0 && idxs.length <= SPARSE ? idxs : null;
};

function line(label: string, stroke: string, format: Format, extra: Partial<uPlot.Series> = {}): uPlot.Series {
  return { label, stroke, width: 2, points: { size: 6, filter: sparsePoints }, value: (_u, v) => (v === null || v === undefined ? '—' : format(v)), ...extra };
}

/** One bucket alone gets a range of years from uPlot (a day in ms read as seconds): centre it in its own width. */
const xRange = (bucket: Window['bucket']) => (u: uPlot, min: number, max: number): uPlot.Range.MinMax => {
  const x = u.data[0];
  if (x.length !== 1) return [min, max];
  const half = BUCKET_MS[bucket] / 2000;
  return [x[0]! - half, x[0]! + half];
};

/** Counts, costs and latencies start at zero, so a busy minute is not drawn as a cliff. */
const fromZero = (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => (max > 0 ? [0, uPlot.rangeNum(0, max, 0.1, true)[1]] : [0, 1]);

function options(bucket: Window['bucket'], series: uPlot.Series[], axes: uPlot.Axis[], scales: uPlot.Scales = {}): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    series: [{ label: bucket === 'day' ? 'Day' : 'Time' }, ...series],
    axes: [{ stroke: COLORS.grey }, ...axes],
    scales: { x: { time: true, range: xRange(bucket) }, y: { range: fromZero }, ...scales },
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
  };
}

const count: Format = (v) => formatTokens(v);

export function TimeCharts(props: { groups: readonly SummaryGroup[]; window: Window; onPickBucket: (start: number) => void }) {
  const { groups, window } = props;
  const data = useMemo(() => timeSeries(groups, window), [groups, window]);
  const charts = useMemo(() => {
    const b = window.bucket;
    return {
      requests: options(
        b,
        [
          line('Requests', COLORS.blue, count, { fill: '#2f6fde22' }),
          line('Error rate', COLORS.red, (v) => formatPercent(v / 100), { scale: '%' }),
        ],
        [
          { stroke: COLORS.grey, values: axisValues(count) },
          { scale: '%', side: 1, stroke: COLORS.red, grid: { show: false }, values: axisValues((v) => `${v}%`) },
        ],
        { '%': { range: [0, 100] } },
      ),
      latency: options(
        b,
        [line('p50', COLORS.green, formatMs), line('p90', COLORS.amber, formatMs), line('p99', COLORS.red, formatMs)],
        [{ stroke: COLORS.grey, size: 64, values: axisValues(formatMs) }],
      ),
      tokens: options(
        b,
        [line('Prompt', COLORS.blue, count), line('Completion', COLORS.purple, count)],
        [{ stroke: COLORS.grey, values: axisValues(count) }],
      ),
      cost: options(b, [line('Cost', COLORS.green, formatUsd, { fill: '#2e9a5b22' })], [{ stroke: COLORS.grey, size: 72, values: axisValues(formatUsd) }]),
    };
  }, [window.bucket]);
  // A quiet bucket has no requests to show: a click there does nothing.
  const pick = (index: number) => {
    if ((data.requests[1][index] ?? 0) > 0) props.onPickBucket(data.starts[index]!);
  };
  return (
    <div class="dash-charts">
      <Chart title="Requests and error rate" options={charts.requests} data={data.requests} onPick={pick} />
      <Chart title="Latency (p50 / p90 / p99)" options={charts.latency} data={data.latency} onPick={pick} />
      <Chart title="Tokens" options={charts.tokens} data={data.tokens} onPick={pick} />
      <Chart title="Cost (USD)" options={charts.cost} data={data.cost} onPick={pick} />
    </div>
  );
}
