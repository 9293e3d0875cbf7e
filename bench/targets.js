// Issue 10's targets, checked against one run's figures: ratios within each round of the run,
// their median over the rounds, so that the machine's drift (±20%) cancels out.
import { median } from './rounds.js';

export const THROUGHPUT_VS_BARE = 0.6;
export const STREAM_THROUGHPUT_VS_DIRECT = 0.95;
export const STREAM_TTFB_ADDED_MS = 1;
export const STREAM_THROUGHPUT_CONNECTIONS = 64;
export const IDLE_RSS_TARGET_MB = 80;

const check = (what, value, target, pass) => ({ what, value, target, pass });

/**
 * The checks of one round: `x` is the measured number, `show` formats it, `ok` says whether a
 * value meets the target. Errors are checked on the sum of all rounds (verdicts).
 */
function roundChecks(scenario, { connections, direct, bare, gateway }, paced) {
  if (!gateway) return [];
  const label = `${scenario.name} c=${connections}`;
  const out = [];
  if (!scenario.stream && bare && paced) {
    // Paced, every target serves the same rate: the throughput target read as what it means per
    // request, CPU at most 1 / 0.6 of the bare proxy's.
    const most = 1 / THROUGHPUT_VS_BARE;
    out.push({ what: `${label}: CPU per request gateway / bare proxy (paced)`, x: gateway.cpuUsPerRequest / bare.cpuUsPerRequest, show: (x) => `${x.toFixed(2)}x`, target: `<= ${most.toFixed(2)}x`, ok: (x) => x <= most });
  } else if (!scenario.stream && bare) {
    out.push({ what: `${label}: req/s gateway / bare proxy`, x: gateway.rps / bare.rps, show: (x) => `${x.toFixed(2)}x`, target: `>= ${THROUGHPUT_VS_BARE}x`, ok: (x) => x >= THROUGHPUT_VS_BARE });
  }
  if (scenario.paced && direct) {
    out.push({ what: `${label}: added time to first chunk, p50`, x: gateway.ttfb.p50 - direct.ttfb.p50, show: (x) => `${x.toFixed(2)} ms`, target: `<= ${STREAM_TTFB_ADDED_MS} ms`, ok: (x) => x <= STREAM_TTFB_ADDED_MS });
    if (connections === STREAM_THROUGHPUT_CONNECTIONS) {
      out.push({ what: `${label}: streams/s gateway / direct`, x: gateway.rps / direct.rps, show: (x) => `${x.toFixed(3)}x`, target: `>= ${STREAM_THROUGHPUT_VS_DIRECT}x`, ok: (x) => x >= STREAM_THROUGHPUT_VS_DIRECT });
    }
  }
  return out;
}

/**
 * The checks that apply to one scenario at one connection count (none without a gateway figure):
 * each the median over the measurement's rounds of the value taken within a round, so that the
 * host's drift between rounds cancels out. With one round, that round's value.
 */
export function verdicts(scenario, measurement, { paced = false } = {}) {
  const rounds = measurement.rounds ?? [measurement];
  const perRound = rounds.map((round) => roundChecks(scenario, { ...round, connections: measurement.connections }, paced));
  const out = [];
  for (const [i, first] of (perRound.find((checks) => checks.length > 0) ?? []).entries()) {
    const x = median(perRound.map((checks) => checks[i]?.x));
    const values = perRound.map((checks) => checks[i]?.x).filter(Number.isFinite);
    const shown = values.length > 1 ? `${first.show(x)} (${values.map(first.show).join(', ')})` : first.show(x);
    out.push(check(first.what, shown, first.target, Number.isFinite(x) && first.ok(x)));
  }
  const errors = measurement.gateway?.errors ?? 0;
  if (errors > 0) out.push(check(`${scenario.name} c=${measurement.connections}: gateway errors`, String(errors), '0', false));
  return out;
}

export function memoryVerdict(idleRssMB) {
  return check('gateway idle RSS at rest', `${idleRssMB.toFixed(1)} MiB`, `<= ${IDLE_RSS_TARGET_MB} MiB`, idleRssMB <= IDLE_RSS_TARGET_MB);
}

/** --workers N: CPU per request of all processes (primary included) against one process's, same load per process. */
export const WORKERS_CPU_WITHIN = 0.10;

export function workersVerdict(singleUs, clusterUs) {
  const ratio = clusterUs / singleUs;
  return check('CPU per request, --workers 2 / one process', `${ratio.toFixed(2)}x`, `<= ${(1 + WORKERS_CPU_WITHIN).toFixed(2)}x`, ratio <= 1 + WORKERS_CPU_WITHIN);
}
