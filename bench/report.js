// Plain-text tables of the results. Figures only: nothing here passes or fails.
import { medianOver } from './rounds.js';

const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const rps = (v) => (Number.isFinite(v) ? v.toFixed(0) : '-');
export const mb = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} MiB` : 'n/a');

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const us = (v) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const TARGETS = [['direct', 'direct'], ['bare proxy', 'bare'], ['gateway', 'gateway']];

/** Direct, bare-proxy and gateway rows of one scenario, per connection count. */
export function scenarioTable(scenario, measurements) {
  const headers = ['target', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms'];
  if (scenario.stream) headers.push('ttfb p50', 'ttfb p99');
  headers.push('CPU us/req', 'errors', 'bytes/resp');
  const rows = [];
  for (const m of measurements) {
    for (const [label, key] of TARGETS) {
      const r = m[key];
      if (!r) continue;
      const row = [label, m.connections, rps(r.rps), ms(r.latency.p50), ms(r.latency.p90), ms(r.latency.p99)];
      if (scenario.stream) row.push(ms(r.ttfb?.p50), ms(r.ttfb?.p99));
      row.push(us(r.cpuUsPerRequest), r.errors, r.meanBytes.toFixed(0));
      rows.push(row);
    }
  }
  return table(headers, rows);
}

/**
 * The gateway against the bare proxy and against direct: each ratio taken within a round, the
 * median over the rounds shown. The figures that survive drift.
 */
export function comparisonTable(results) {
  const headers = ['scenario', 'conns', 'req/s gw/bare', 'req/s gw/direct', 'req/s bare/direct', 'CPU/req gw/bare', 'added p50 vs bare', 'added ttfb p50 vs direct'];
  const rows = [];
  for (const { scenario, measurements } of results) {
    for (const m of measurements) {
      if (!m.gateway) continue;
      const rounds = m.rounds ?? [m];
      const times = (fn) => {
        const x = medianOver(rounds, fn);
        return Number.isFinite(x) ? `${x.toFixed(2)}x` : '-';
      };
      const plus = (fn) => {
        const x = medianOver(rounds, fn);
        return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)} ms` : '-';
      };
      rows.push([
        scenario.name, m.connections,
        times((r) => r.gateway.rps / r.bare.rps), times((r) => r.gateway.rps / r.direct.rps), times((r) => r.bare.rps / r.direct.rps),
        times((r) => r.gateway.cpuUsPerRequest / r.bare.cpuUsPerRequest),
        plus((r) => r.gateway.latency.p50 - r.bare.latency.p50),
        scenario.stream ? plus((r) => r.gateway.ttfb.p50 - r.direct.ttfb.p50) : '',
      ]);
    }
  }
  return table(headers, rows);
}

/** Each round's figures, for a run with more than one: req/s, CPU per request and (streams) the median time to first chunk. */
export function roundsTable(scenario, measurements) {
  const headers = ['conns', 'round', 'order', 'direct req/s', 'bare req/s (CPU us)', 'gateway req/s (CPU us)'];
  if (scenario.stream) headers.push('ttfb p50 direct / bare / gw');
  const rows = [];
  for (const m of measurements) {
    for (const [i, r] of (m.rounds ?? []).entries()) {
      const cell = (x) => (x ? `${rps(x.rps)} (${us(x.cpuUsPerRequest)})` : '-');
      const row = [m.connections, i + 1, r.order ?? '', r.direct ? rps(r.direct.rps) : '-', cell(r.bare), cell(r.gateway)];
      if (scenario.stream) row.push([r.direct, r.bare, r.gateway].map((x) => ms(x?.ttfb?.p50)).join(' / '));
      rows.push(row);
    }
  }
  return table(headers, rows);
}

export function targetTable(checks) {
  return table(['target', 'measured', 'wanted', 'verdict'], checks.map((c) => [c.what, c.value, c.target, c.pass ? 'PASS' : 'FAIL']));
}

/** One line per failing run kind, with the first error message seen. */
export function errorLines(results) {
  const lines = [];
  for (const { scenario, measurements } of results) {
    for (const m of measurements) {
      for (const [target, r] of [['direct', m.direct], ['bare', m.bare], ['gateway', m.gateway]]) {
        for (const [kind, { count, sample }] of Object.entries(r?.errorKinds ?? {})) {
          lines.push(`${scenario.name} ${target} c=${m.connections}: ${count} x ${kind}: ${sample.slice(0, 200)}`);
        }
      }
    }
  }
  return lines;
}
