// Issue 10's targets, checked against one run's figures: ratios within the run, so that the
// machine's drift between runs (±20%) cancels out.

export const THROUGHPUT_VS_BARE = 0.6;
export const STREAM_THROUGHPUT_VS_DIRECT = 0.95;
export const STREAM_TTFB_ADDED_MS = 1;
export const STREAM_THROUGHPUT_CONNECTIONS = 64;
export const IDLE_RSS_TARGET_MB = 80;

const check = (what, value, target, pass) => ({ what, value, target, pass });

/** The checks that apply to one scenario at one connection count (none without a gateway figure). */
export function verdicts(scenario, { connections, direct, bare, gateway }, { paced = false } = {}) {
  if (!gateway) return [];
  const label = `${scenario.name} c=${connections}`;
  const out = [];
  if (!scenario.stream && bare && paced) {
    // Paced, every target serves the same rate: the throughput target read as what it means per
    // request, CPU at most 1 / 0.6 of the bare proxy's.
    const ratio = gateway.cpuUsPerRequest / bare.cpuUsPerRequest;
    const most = 1 / THROUGHPUT_VS_BARE;
    out.push(check(`${label}: CPU per request gateway / bare proxy (paced)`, `${ratio.toFixed(2)}x`, `<= ${most.toFixed(2)}x`, ratio <= most));
  } else if (!scenario.stream && bare) {
    const ratio = gateway.rps / bare.rps;
    out.push(check(`${label}: req/s gateway / bare proxy`, `${ratio.toFixed(2)}x`, `>= ${THROUGHPUT_VS_BARE}x`, ratio >= THROUGHPUT_VS_BARE));
  }
  if (scenario.paced && direct) {
    const added = gateway.ttfb.p50 - direct.ttfb.p50;
    out.push(check(`${label}: added time to first chunk, p50`, `${added.toFixed(2)} ms`, `<= ${STREAM_TTFB_ADDED_MS} ms`, added <= STREAM_TTFB_ADDED_MS));
    if (connections === STREAM_THROUGHPUT_CONNECTIONS) {
      const ratio = gateway.rps / direct.rps;
      out.push(check(`${label}: streams/s gateway / direct`, `${ratio.toFixed(3)}x`, `>= ${STREAM_THROUGHPUT_VS_DIRECT}x`, ratio >= STREAM_THROUGHPUT_VS_DIRECT));
    }
  }
  if (gateway.errors > 0) out.push(check(`${label}: gateway errors`, String(gateway.errors), '0', false));
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
