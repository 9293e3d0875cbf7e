// One measurement of one target (the emulator direct, the bare proxy or the gateway): a probe
// request, a warm-up, then a timed run with the target's CPU time read from /proc.
import { API_KEY, GATEWAY_KEY } from './gateway-config.js';
import { createPool, postJson, runLoad } from './load.js';
import { cpuSpent, cpuSpentBy, cpuTimes } from './processes.js';
import { pathFor } from './scenarios.js';

const progress = (message) => process.stderr.write(`  ${message}\n`);

/**
 * Probe once (a clear message instead of a table of errors), warm up, then measure with CPU time.
 * With `rate`, requests are paced to that many per second instead of sent back to back.
 */
export async function measure({ origin, scenario, target, connections, options, pid, rate, extraWarmupS = 0 }) {
  const model = target === 'gateway' ? scenario.gatewayModel : scenario.directModel;
  const send = postJson({
    path: pathFor(scenario, target, options.chunkDelayMs),
    body: JSON.stringify(scenario.body(model)),
    // The emulator wants a key like OpenAI does (the bare proxy passes it on); the gateway holds
    // the upstream key in its config and checks its own.
    headers: target !== 'gateway' ? { authorization: `Bearer ${API_KEY}` } : options.features ? { authorization: `Bearer ${GATEWAY_KEY}` } : {},
    stream: scenario.stream === true,
  });
  const pool = createPool(origin, connections);
  try {
    let probeMs;
    try {
      const sent = performance.now();
      await send(pool, sent);
      probeMs = performance.now() - sent;
    } catch (error) {
      progress(`${scenario.name} ${target}: skipped, the probe request failed: ${error.message}`);
      return undefined;
    }
    const warmupS = options.warmupS + extraWarmupS;
    progress(`${scenario.name} ${target} c=${connections}${rate ? ` at ${rate} req/s` : ''}: ${warmupS} s warm-up + ${options.durationS} s`);
    // Paced streams last ~235 ms each: connections that all start together would stay in step
    // (runLoad, staggerMs), so they start spread over one stream, as independent clients do.
    const staggerMs = scenario.paced ? probeMs : 0;
    if (warmupS > 0) await runLoad({ pool, connections, durationMs: warmupS * 1000, send, rate, staggerMs });
    const before = pid ? cpuTimes(pid) : undefined;
    const result = await runLoad({ pool, connections, durationMs: options.durationS * 1000, send, rate, staggerMs });
    if (before) {
      const after = cpuTimes(pid);
      const served = Math.max(1, result.ok + result.errors);
      result.cpuUsPerRequest = cpuSpent(before, after) / served;
      // With --workers N: what the primary (shared counters over IPC) spends of it.
      if (after.size > 1) result.primaryCpuUsPerRequest = cpuSpentBy(pid, before, after) / served;
    }
    return result;
  } finally {
    await pool.close().catch(() => {});
  }
}
