// Plain-text tables of the results. Figures only: nothing here passes or fails.

const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const rps = (v) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const ratio = (a, b) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');
const added = (a, b) => (Number.isFinite(a - b) ? `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}` : '-');
export const mb = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} MB` : 'n/a');

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Direct and gateway rows of one scenario, one pair per connection count. */
export function scenarioTable(scenario, measurements) {
  const headers = ['target', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms'];
  if (scenario.stream) headers.push('ttfb p50', 'ttfb p99');
  headers.push('errors', 'bytes/resp');
  const rows = [];
  for (const m of measurements) {
    for (const [target, r] of [['direct', m.direct], ['gateway', m.gateway]]) {
      if (!r) continue;
      const row = [target, m.connections, rps(r.rps), ms(r.latency.p50), ms(r.latency.p90), ms(r.latency.p99), ms(r.latency.mean)];
      if (scenario.stream) row.push(ms(r.ttfb?.p50), ms(r.ttfb?.p99));
      row.push(r.errors, r.meanBytes.toFixed(0));
      rows.push(row);
    }
  }
  return table(headers, rows);
}

/** Gateway against direct, within this run: the figures that survive machine drift. */
export function comparisonTable(results) {
  const headers = ['scenario', 'conns', 'req/s gw/direct', 'p50 gw/direct', 'added p50 ms', 'added p99 ms', 'added ttfb p50', 'added ttfb p99'];
  const rows = [];
  for (const { scenario, measurements } of results) {
    for (const { connections, direct: d, gateway: g } of measurements) {
      if (!d || !g) continue;
      rows.push([
        scenario.name, connections,
        ratio(g.rps, d.rps), ratio(g.latency.p50, d.latency.p50),
        added(g.latency.p50, d.latency.p50), added(g.latency.p99, d.latency.p99),
        scenario.stream ? added(g.ttfb?.p50, d.ttfb?.p50) : '',
        scenario.stream ? added(g.ttfb?.p99, d.ttfb?.p99) : '',
      ]);
    }
  }
  return table(headers, rows);
}

/** One line per failing run kind, with the first error message seen. */
export function errorLines(results) {
  const lines = [];
  for (const { scenario, measurements } of results) {
    for (const m of measurements) {
      for (const [target, r] of [['direct', m.direct], ['gateway', m.gateway]]) {
        for (const [kind, { count, sample }] of Object.entries(r?.errorKinds ?? {})) {
          lines.push(`${scenario.name} ${target} c=${m.connections}: ${count} x ${kind}: ${sample.slice(0, 200)}`);
        }
      }
    }
  }
  return lines;
}
