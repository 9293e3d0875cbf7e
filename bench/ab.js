// `npm run bench:ab -- --base DIR`: this tree's gateway against another checkout's (built, with
// its own node_modules), in alternating rounds on the same emulator and pinning, so that the
// host's drift (±20% within minutes here) hits both alike. Prints CPU per request, req/s and
// latency per reading: saturated at N connections, then paced at R req/s.
//   npm run bench:ab -- --base DIR [--scenario chat|embeddings|completions|chat-stream|chat-stream-burst] [--rounds K] [--rate R] [--connections N] [--duration S]
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_JIT_WARMUP_S } from './args.js';
import { machineLine } from './machine.js';
import { measure } from './measure.js';
import { builtCheckout, readFlags, runCommand, watchdog, withGateway } from './command.js';
import { pinSelf, startEmulatorProcess, stopAll, tasksetAvailable } from './processes.js';
import { table } from './report.js';
import { scenarioByName } from './scenarios.js';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const EMULATOR = fileURLToPath(new URL('./upstream-emulator.js', import.meta.url));
const AB_SCENARIOS = ['chat', 'embeddings', 'completions', 'chat-stream', 'chat-stream-burst'];
const USAGE = `npm run bench:ab -- --base DIR [--scenario ${AB_SCENARIOS.join('|')} (chat)] [--rounds K (3)] [--rate R (1500)] [--connections N (16)] [--duration S (5)] [--no-pin]`;

function parse(argv) {
  const options = { base: undefined, scenario: 'chat', rounds: 3, rate: 1500, connections: 16, durationS: 5, warmupS: 2, pin: true, features: true, chunkDelayMs: 10 };
  readFlags(argv, (flag, value, number) => {
    switch (flag) {
      case '--base': options.base = value(); return true;
      case '--scenario': options.scenario = value(); return true;
      case '--rounds': options.rounds = Math.round(number()); return true;
      case '--rate': options.rate = number(); return true;
      case '--connections': options.connections = Math.round(number()); return true;
      case '--duration': options.durationS = number(); return true;
      case '--no-pin': options.pin = false; return true;
      case '--help': options.help = true; return true;
      default: return false;
    }
  });
  if (options.help) return options;
  options.base = builtCheckout(options.base);
  // The paced stream's CPU is mostly waiting; the burst stream measures a stream's CPU (pass a --rate it can carry, ~100).
  if (!AB_SCENARIOS.includes(options.scenario)) throw new Error(`--scenario needs one of ${AB_SCENARIOS.join(', ')}, got "${options.scenario}"`);
  return options;
}

function reading(root, emulatorPort, options, scenario, pin) {
  return withGateway({ root, emulatorPort, options, cores: pin ? '0' : undefined }, async ({ origin, pid }) => {
    const common = { origin, scenario, target: 'gateway', connections: options.connections, options, pid };
    // A fresh gateway per reading: its code is compiled during the first seconds (bench/args.js, --jit-warmup).
    const saturated = await measure({ ...common, extraWarmupS: DEFAULT_JIT_WARMUP_S });
    const paced = await measure({ ...common, rate: options.rate });
    if (!saturated || !paced) throw new Error(`the gateway of ${root} did not answer the probe request`);
    return { saturated, paced };
  });
}

async function main(options) {
  const pin = options.pin && os.cpus().length >= 2 && tasksetAvailable();
  if (pin && !pinSelf('1')) throw new Error('could not pin the load generator with taskset');
  const perReadingS = 2 * (options.durationS + options.warmupS) + DEFAULT_JIT_WARMUP_S + 5;
  const timer = watchdog('bench:ab', options.rounds * 2 * perReadingS + 120);
  const scenario = scenarioByName(options.scenario);
  console.log(`Gatehouse A/B (${new Date().toISOString()})\n${machineLine()}`);
  console.log(`${scenario.name}, ${options.connections} connections, saturated then paced at ${options.rate} req/s; base ${options.base} against this tree ${HERE}; ${options.rounds} round(s), order alternating`);
  const emulator = await startEmulatorProcess(EMULATOR, { core: pin ? '1' : undefined, chunkDelayMs: 0 });
  const rows = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? [['base', options.base], ['this', HERE]] : [['this', HERE], ['base', options.base]];
      for (const [label, root] of order) {
        const { saturated: s, paced: p } = await reading(root, emulator.port, options, scenario, pin);
        rows.push([round, label, s.rps.toFixed(0), s.cpuUsPerRequest.toFixed(0), s.latency.p99.toFixed(1), p.rps.toFixed(0), p.cpuUsPerRequest.toFixed(0), p.latency.p50.toFixed(2), p.latency.p99.toFixed(1), s.errors + p.errors]);
      }
    }
  } finally {
    clearTimeout(timer);
    await stopAll();
  }
  console.log(`\n${table(['round', 'tree', 'req/s', 'CPU us/req', 'p99 ms', 'paced req/s', 'paced CPU us', 'paced p50', 'paced p99', 'errors'], rows)}`);
}

runCommand('bench:ab', USAGE, parse, main);
