// Command-line flags of `npm run bench` (pass them after `--`: npm run bench -- --duration 3).
import { DEFAULT_SCENARIOS, SCENARIOS } from './scenarios.js';

/** Seconds of extra warm-up before a fresh target's first measurement (--jit-warmup). */
export const DEFAULT_JIT_WARMUP_S = 8;

export const USAGE = `Usage: npm run bench -- [options]

  --duration S        seconds measured per scenario, connection count, target and round (default 4)
  --rounds K          measure each connection count K times, the targets in turn each round
                      (default 3); ratios are taken within a round and the verdicts read their
                      median, so a few seconds of a slow host in one window do not decide a target
  --warmup S          warm-up seconds before each measurement, not counted (default 2)
  --jit-warmup S      more warm-up before a scenario's first measurement of each target, not
                      counted (default ${DEFAULT_JIT_WARMUP_S}): V8 compiles the hot code on helper threads during the
                      first seconds of load, a one-off that would otherwise land in the figures
  --connections N,N   concurrent connections, one measurement each (default 16,64)
  --scenario NAME     one or more of ${SCENARIOS.map((s) => s.name).join(', ')}, comma-separated,
                      or "all" (default ${DEFAULT_SCENARIOS.join(',')})
  --rate R          pace each measurement at R requests per second instead of sending back to
                      back (compare CPU per request at a load every target carries)
  --chunk-delay MS    delay between the frames of the paced stream, chat-stream (default 10)
  --pin               pin with taskset: the gateway and the bare proxy on core 0, the emulator
                      and the load generator on core 1 (default on when taskset and 2 cores exist)
  --no-pin            do not pin
  --workers N         start the gateway with --workers N (it then gets every core; compare
                      CPU per request, not throughput)
  --gateway-cores L   taskset core list for the gateway (default 0; every core with --workers)
  --parallel-gc       keep V8's parallel GC in the gateway and the bare proxy (by default a
                      process pinned to one core runs with --single-threaded-gc, as the README
                      recommends for a one-core gateway)
  --no-features       the gateway without keys, rate limits, usage and the access log (a baseline)
  --profile DIR       run the gateway with node --cpu-prof, profiles written to DIR at exit
  --direct-only       measure the emulator alone (no gateway): the ceiling of this machine
  --plugin DIR        also load this plugin package directory in the gateway (repeatable),
                      e.g. plugins/logger, to measure what a plugin adds
  --without-plugin DIR  keep this plugin package out of the gateway even when the root
                      package.json's dependencies would discover it (repeatable): the baseline
                      for --plugin DIR
  --gateway-cli PATH  the gateway CLI to start (default core/bin/gatehouse.js), e.g. another checkout's
  --help              show this help`;

function positiveNumber(name, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a non-negative number, got "${value}"`);
  return n;
}

function scenarioList(value) {
  if (value === 'all') return SCENARIOS.map((s) => s.name);
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!SCENARIOS.some((s) => s.name === name)) throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')}, all)`);
  }
  return names;
}

function connectionList(value) {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 4096)) {
    throw new Error(`--connections needs whole numbers between 1 and 4096, got "${value}"`);
  }
  return list;
}

export function parseArgs(argv) {
  const options = {
    durationS: 4,
    rounds: 3,
    warmupS: 2,
    jitWarmupS: DEFAULT_JIT_WARMUP_S,
    connections: [16, 64],
    scenarios: [...DEFAULT_SCENARIOS],
    chunkDelayMs: 10,
    rate: undefined,
    pin: undefined,
    workers: 1,
    features: true,
    parallelGc: false,
    gatewayCores: undefined,
    profileDir: undefined,
    directOnly: false,
    gatewayCli: undefined,
    plugins: [],
    withoutPlugins: [],
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--duration': options.durationS = positiveNumber(name, value()); break;
      case '--rounds': options.rounds = Math.max(1, Math.round(positiveNumber(name, value()))); break;
      case '--warmup': options.warmupS = positiveNumber(name, value()); break;
      case '--jit-warmup': options.jitWarmupS = positiveNumber(name, value()); break;
      case '--rate': options.rate = positiveNumber(name, value()) || undefined; break;
      case '--connections': options.connections = connectionList(value()); break;
      case '--scenario': case '--scenarios': options.scenarios = scenarioList(value()); break;
      case '--chunk-delay': options.chunkDelayMs = positiveNumber(name, value()); break;
      case '--pin': options.pin = true; break;
      case '--no-pin': options.pin = false; break;
      case '--workers': options.workers = Math.max(1, Math.floor(positiveNumber(name, value()))); break;
      case '--no-features': options.features = false; break;
      case '--parallel-gc': options.parallelGc = true; break;
      case '--gateway-cores': options.gatewayCores = value(); break;
      case '--profile': options.profileDir = value(); break;
      case '--direct-only': options.directOnly = true; break;
      case '--gateway-cli': options.gatewayCli = value(); break;
      case '--plugin': options.plugins.push(value()); break;
      case '--without-plugin': options.withoutPlugins.push(value()); break;
      case '--help': case '-h': options.help = true; break;
      default: throw new Error(`unknown option "${flag}"`);
    }
  }
  if (options.durationS <= 0) throw new Error('--duration must be more than 0');
  return options;
}
