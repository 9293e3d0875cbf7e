// The dashboard's pure parts (number formats, time windows and buckets, chart columns) checked
// directly: bundled from ui/ with esbuild, the same way the console is, and imported.
import { expect } from 'chai';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const UI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui', 'dashboard');

// The shapes used here, written out: importing the ui's types would pull its files into this
// (NodeNext) project, and ui/ is type-checked on its own (npm run typecheck:ui).
type Fmt = (value: number | null) => string;
interface Format {
  formatUsd: Fmt;
  formatMs: Fmt;
  formatTokens: Fmt;
  formatPercent: Fmt;
}
interface Window {
  from: number;
  to: number;
  bucket: 'minute' | 'hour' | 'day';
  preset: string | null;
}
type Params = Record<string, string>;
interface Filters {
  resolveWindow(params: Params, now?: number): Window;
  dashboardParams(params: Params): Record<string, string | undefined>;
  activeFilters(params: Params): Record<string, string>;
}
interface Series {
  timeSeries(groups: readonly object[], window: Window): { starts: number[]; requests: unknown[][]; latency: unknown[][]; tokens: unknown[][]; cost: unknown[][] };
}

async function load<T>(name: string, dir: string): Promise<T> {
  const out = await build({ entryPoints: [join(UI, `${name}.ts`)], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error' });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, out.outputFiles[0]!.text);
  return (await import(pathToFileURL(file).href)) as T;
}

describe('console: dashboard units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-units-'));
  let format: Format;
  let filters: Filters;
  let series: Series;

  before(async () => {
    [format, filters, series] = await Promise.all([load<Format>('format', dir), load<Filters>('filters', dir), load<Series>('series', dir)]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes dollars with enough digits for the cost of one request', () => {
    expect(format.formatUsd(0)).to.equal('$0');
    expect(format.formatUsd(null)).to.equal('—');
    expect(format.formatUsd(1234.5)).to.equal('$1,234.50');
    expect(format.formatUsd(0.5)).to.equal('$0.50');
    expect(format.formatUsd(0.1234)).to.equal('$0.1234');
    expect(format.formatUsd(0.000458)).to.equal('$0.000458');
    expect(format.formatUsd(0.0000123456)).to.equal('$0.0000123');
    expect(format.formatUsd(0.0012)).to.equal('$0.0012');
    expect(format.formatUsd(3e-9)).to.equal('$0.000000003');
  });

  it('writes milliseconds, tokens and rates briefly', () => {
    expect(format.formatMs(0)).to.equal('0 ms');
    expect(format.formatMs(0.424)).to.equal('0.42 ms');
    expect(format.formatMs(8.5)).to.equal('8.5 ms');
    expect(format.formatMs(120.4)).to.equal('120 ms');
    expect(format.formatMs(1250)).to.equal('1.25 s');
    expect(format.formatMs(2000)).to.equal('2 s');
    expect(format.formatMs(90_000)).to.equal('1.5 min');
    expect(format.formatTokens(950)).to.equal('950');
    expect(format.formatTokens(12_345)).to.equal('12.3k');
    expect(format.formatTokens(123_456)).to.equal('123k');
    expect(format.formatTokens(4_500_000)).to.equal('4.5M');
    expect(format.formatPercent(3 / 52)).to.equal('5.8%');
    expect(format.formatPercent(0.5)).to.equal('50%');
    expect(format.formatPercent(0)).to.equal('0%');
  });

  it('turns a range into a window and a bucket: minutes to 6 hours, hours to 8 days, then days', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(filters.resolveWindow({ range: '15m' }, now)).to.deep.equal({ from: now - 15 * 60_000, to: now, bucket: 'minute', preset: '15m' });
    expect(filters.resolveWindow({}, now)).to.include({ bucket: 'hour', preset: '24h' });
    expect(filters.resolveWindow({ range: '7d' }, now)).to.include({ bucket: 'hour' });
    expect(filters.resolveWindow({ range: 'nonsense' }, now)).to.include({ preset: '24h' });
    // A custom from/to wins over the preset (a bucket drill keeps the preset to go back to).
    expect(filters.resolveWindow({ range: '1h', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }, now)).to.deep.equal({
      from: Date.parse('2026-11-01T00:00:00Z'),
      to: Date.parse('2026-12-01T00:00:00Z'),
      bucket: 'day',
      preset: null,
    });
    expect(filters.resolveWindow({ from: '2026-12-07T09:00:00Z' }, now)).to.include({ to: now, bucket: 'minute' });
    expect(filters.dashboardParams({ view: 'requests', id: 'x', range: '1h', from: 'a', to: 'b', endpoint: 'chat' })).to.deep.equal({
      view: undefined,
      id: undefined,
      range: '1h',
      from: undefined,
      to: undefined,
      endpoint: 'chat',
    });
    expect(filters.activeFilters({ endpoint: 'chat', key: '', range: '1h', status: 'error' })).to.deep.equal({ endpoint: 'chat', status: 'error' });
  });

  it('fills the quiet buckets of the window: zero requests, no latency', () => {
    const from = Date.parse('2026-12-07T09:57:30Z');
    const window = { from, to: from + 3 * 60_000, bucket: 'minute' as const, preset: null };
    const group = { requests: 4, errors: 1, error_rate: 0.25, latency_ms: { p50: 1, p90: 2, p99: 3 }, prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost_usd: 0.001, priced_requests: 4 };
    const s = series.timeSeries([{ ...group, group: '2026-12-07T09:58:00.000Z' }], window);
    expect(s.starts.map((t) => new Date(t).toISOString().slice(11, 16))).to.deep.equal(['09:57', '09:58', '09:59', '10:00']);
    expect(s.requests[1]).to.deep.equal([0, 4, 0, 0]);
    expect(s.requests[2]).to.deep.equal([null, 25, null, null]);
    expect(s.latency[3]).to.deep.equal([null, 3, null, null]);
    expect(s.tokens[2]).to.deep.equal([0, 5, 0, 0]);
    expect(s.cost[1]).to.deep.equal([0, 0.001, 0, 0]);
  });
});
