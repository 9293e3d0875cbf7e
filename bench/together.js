// `npm run bench:together -- --base DIR`: this tree's gateway and another checkout's running at
// the same time, both pinned to core 0, each under the same paced load, their CPU per request
// read over the same windows. Alternating readings (bench:ab) still see the host change between
// one reading and the next (±20% within minutes here, and by half for a few seconds now and
// then); two gateways measured at once see the same host. A change of a few µs per request
// shows in the median of the windows' ratios; the same tree against itself reads 1.00 ± ~0.02.
//   npm run bench:together -- --base DIR [--scenario chat|embeddings|completions] [--rate R] [--connections N] [--windows K] [--window S]
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_JIT_WARMUP_S } from './args.js';
import { builtCheckout, readFlags, runCommand, watchdog, withGateway } from './command.js';
import { GATEWAY_KEY } from './gateway-config.js';
import { createPool, postJson, runLoad } from './load.js';
import { machineLine } from './machine.js';
import { cpuSpent, cpuTimes, pinSelf, startEmulatorProcess, stopAll, tasksetAvailable } from './processes.js';
import { table } from './report.js';
import { median } from './rounds.js';
import { pathFor, scenarioByName } from './scenarios.js';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const EMULATOR = fileURLToPath(new URL('./upstream-emulator.js', import.meta.url));
const SCENARIOS = ['chat', 'embeddings', 'completions'];
const USAGE = `npm run bench:together -- --base DIR [--scenario ${SCENARIOS.join('|')} (chat)] [--rate R (1500, per gateway)] [--connections N (16)] [--windows K (8)] [--window S (8)] [--no-pin]`;

function parse(argv) {
  const options = { base: undefined, scenario: 'chat', rate: 1500, connections: 16, windows: 8, windowS: 8, pin: true, features: true };
  readFlags(argv, (flag, value, number) => {
    switch (flag) {
      case '--base': options.base = value(); return true;
      case '--scenario': options.scenario = value(); return true;
      case '--rate': options.rate = number(); return true;
      case '--connections': options.connections = Math.round(number()); return true;
      case '--windows': options.windows = Math.round(number()); return true;
      case '--window': options.windowS = number(); return true;
      case '--no-pin': options.pin = false; return true;
      case '--help': options.help = true; return true;
      default: return false;
    }
  });
  if (options.help) return options;
  options.base = builtCheckout(options.base);
  if (!SCENARIOS.includes(options.scenario)) throw new Error(`--scenario needs one of ${SCENARIOS.join(', ')}, got "${options.scenario}"`);
  return options;
}

/** The load for one gateway: a pool, and the request the scenario sends. */
function client(origin, scenario, connections) {
  const send = postJson({ path: pathFor(scenario, 'gateway'), body: JSON.stringify(scenario.body(scenario.gatewayModel)), headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
  return { pool: createPool(origin, connections), send };
}

async function main(options) {
  const pin = options.pin && os.cpus().length >= 2 && tasksetAvailable();
  if (pin && !pinSelf('1')) throw new Error('could not pin the load generator with taskset');
  const timer = watchdog('bench:together', DEFAULT_JIT_WARMUP_S + 4 + options.windows * (options.windowS + 2) + 120);
  const scenario = scenarioByName(options.scenario);
  console.log(`Gatehouse, two trees at once (${new Date().toISOString()})\n${machineLine()}`);
  console.log(`${scenario.name}, ${options.connections} connections and ${options.rate} req/s for each gateway, both on ${pin ? 'core 0' : 'any core'}; base ${options.base} against this tree ${HERE}; ${options.windows} windows of ${options.windowS} s`);
  const emulator = await startEmulatorProcess(EMULATOR, { core: pin ? '1' : undefined, chunkDelayMs: 0 });
  const cores = pin ? '0' : undefined;
  const rows = [];
  const ratios = [];
  try {
    await withGateway({ root: options.base, emulatorPort: emulator.port, options, cores }, (base) =>
      withGateway({ root: HERE, emulatorPort: emulator.port, options, cores }, async (mine) => {
        const gateways = [{ ...base, ...client(base.origin, scenario, options.connections) }, { ...mine, ...client(mine.origin, scenario, options.connections) }];
        const load = (ms) => Promise.all(gateways.map((g) => runLoad({ pool: g.pool, connections: options.connections, durationMs: ms, send: g.send, rate: options.rate })));
        try {
          // Both compile their hot code during the first seconds of load (see --jit-warmup).
          await load((DEFAULT_JIT_WARMUP_S + 4) * 1000);
          for (let w = 1; w <= options.windows; w++) {
            const before = gateways.map((g) => cpuTimes(g.pid));
            const results = await load(options.windowS * 1000);
            const us = gateways.map((g, i) => cpuSpent(before[i], cpuTimes(g.pid)) / Math.max(1, results[i].ok + results[i].errors));
            ratios.push(us[1] / us[0]);
            rows.push([w, results[0].ok, us[0].toFixed(1), results[1].ok, us[1].toFixed(1), (us[1] / us[0]).toFixed(3), results[0].errors + results[1].errors]);
          }
        } finally {
          await Promise.all(gateways.map((g) => g.pool.close().catch(() => {})));
        }
      }));
  } finally {
    clearTimeout(timer);
    await stopAll();
  }
  console.log(`\n${table(['window', 'base requests', 'base CPU us/req', 'this requests', 'this CPU us/req', 'this / base', 'errors'], rows)}`);
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`\nthis / base, CPU per request: median ${median(ratios).toFixed(3)} (windows ${sorted[0].toFixed(3)}–${sorted.at(-1).toFixed(3)})`);
}

runCommand('bench:together', USAGE, parse, main);
