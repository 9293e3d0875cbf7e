// `npm run bench`: the gateway's cost against a bare proxy and against calling the upstream
// directly. Starts the upstream emulator, the bare proxy and the gateway as child processes,
// runs the same load at each (load generator in this process), prints figures, ratios and
// PASS/FAIL against issue 10's targets.
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './args.js';
import { gatewayPackages, writeGatewayConfig } from './gateway-config.js';
import { measure } from './measure.js';
import {
  freePort, memoryOf, oneCoreNodeArgs, pinSelf, restingMemory, startBareProxyProcess, startEmulatorProcess, startGatewayProcess, stopAll, stopChild, tasksetAvailable,
} from './processes.js';
import { comparisonTable, errorLines, mb, roundsTable, scenarioTable, targetTable } from './report.js';
import { combineRounds, roundOrder } from './rounds.js';
import { scenarioByName } from './scenarios.js';
import { IDLE_RSS_TARGET_MB, memoryVerdict, verdicts } from './targets.js';
import { machineLine } from './machine.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'core', 'bin', 'gatehouse.js');
const EMULATOR = fileURLToPath(new URL('./upstream-emulator.js', import.meta.url));
const BARE_PROXY = fileURLToPath(new URL('./bare-proxy.js', import.meta.url));
const progress = (message) => process.stderr.write(`  ${message}\n`);
const sleep = (msec) => new Promise((r) => setTimeout(r, msec));
let tempConfig; // removed on every exit path, including the watchdog and signals

/**
 * The same layout for every target and every run: the proxy being measured (the gateway or the
 * bare proxy) has core 0 to itself; the emulator and the load generator, the same for both,
 * share core 1. With --workers N the gateway gets every core (compare CPU per request then).
 */
function pinning(options) {
  if (options.pin === false) return { note: 'not pinned (--no-pin)', cores: {} };
  if (os.cpus().length < 2) return { note: 'not pinned: needs 2 cores', cores: {} };
  if (!tasksetAvailable()) return { note: 'not pinned: taskset not found', cores: {} };
  const gateway = options.gatewayCores ?? (options.workers > 1 ? `0-${os.cpus().length - 1}` : '0');
  return {
    note: `gateway on core${options.workers > 1 ? 's' : ''} ${gateway}, bare proxy on core 0, emulator and load generator on core 1 (taskset)`,
    cores: { gateway, proxy: '0', emulator: '1', load: '1' },
  };
}

async function main(options) {
  const cli = options.gatewayCli ? resolve(options.gatewayCli) : CLI;
  if (!options.directOnly && !existsSync(cli)) {
    throw new Error(`${cli} does not exist yet: build the gateway first (npm run build), or run with --direct-only.`);
  }
  const pin = pinning(options);
  if (pin.cores.load !== undefined && !pinSelf(pin.cores.load)) throw new Error('could not pin the load generator with taskset');
  const targets = options.directOnly ? 1 : 3;
  const expectedS = options.scenarios.length * targets * (options.connections.length * options.rounds * (options.durationS + options.warmupS) + options.jitWarmupS);
  // Bounded whatever happens: the expected time plus start-up and grace, then give up.
  const watchdog = setTimeout(() => fail(new Error(`still running after ${Math.round(expectedS + 150)} s, giving up`)), (expectedS + 150) * 1000);
  watchdog.unref();

  console.log(`Gatehouse benchmark (${new Date().toISOString()})`);
  console.log(machineLine());
  console.log(`pinning: ${pin.note}`);
  const gcNote = oneCoreNodeArgs(pin.cores.gateway, { workers: options.workers, parallelGc: options.parallelGc }).length > 0
    ? 'gateway and bare proxy started with --single-threaded-gc (one core each)'
    : options.workers > 1 ? 'the gateway CLI gives its workers --single-threaded-gc when they fill every core' : "V8's default parallel GC";
  console.log(`GC: ${gcNote}`);
  console.log(`gateway: ${options.features ? 'keys checked, endpoint and key rate limits (memory), usage to SQLite, JSON access log to a file' : 'no feature plugins (--no-features)'}${options.workers > 1 ? `, --workers ${options.workers}` : ''}`);
  if (options.plugins.length > 0) console.log(`extra plugins in the gateway: ${options.plugins.join(', ')}`);
  if (options.withoutPlugins.length > 0) console.log(`plugins kept out of the gateway: ${options.withoutPlugins.join(', ')}`);
  console.log(`per measurement: ${options.warmupS} s warm-up (${options.warmupS + options.jitWarmupS} s for a scenario's first) + ${options.durationS} s, ${options.rounds} round${options.rounds === 1 ? '' : 's'} per connection count (targets in turn, ratios within each round, verdicts on their median)${options.rate ? `, paced at ${options.rate} req/s` : ''}; connections ${options.connections.join(',')}; paced stream frames ${options.chunkDelayMs} ms apart; expected ~${Math.round(expectedS)} s`);

  const emulator = await startEmulatorProcess(EMULATOR, { core: pin.cores.emulator, chunkDelayMs: 0 });
  const emulatorOrigin = `http://127.0.0.1:${emulator.port}`;
  progress(`emulator pid ${emulator.child.pid} on ${emulatorOrigin}`);

  let gateway;
  let bare;
  let config;
  let idle;
  try {
    if (!options.directOnly) {
      bare = await startBareProxyProcess(BARE_PROXY, { core: pin.cores.proxy, upstream: emulatorOrigin, parallelGc: options.parallelGc });
      bare.origin = `http://127.0.0.1:${bare.port}`;
      progress(`bare proxy pid ${bare.child.pid} on ${bare.origin}`);
      const { packages, disabled } = gatewayPackages(ROOT, options);
      config = tempConfig = writeGatewayConfig(emulator.port, packages, disabled, { features: options.features, chunkDelayMs: options.chunkDelayMs });
      const port = await freePort();
      progress(`starting the gateway on 127.0.0.1:${port} (config ${config.path})`);
      let nodeArgs = [];
      if (options.profileDir) {
        mkdirSync(options.profileDir, { recursive: true });
        nodeArgs = ['--cpu-prof', '--cpu-prof-dir', resolve(options.profileDir)];
      }
      gateway = await startGatewayProcess({ cwd: ROOT, cli, configPath: config.path, port, core: pin.cores.gateway, logDir: config.dir, workers: options.workers, nodeArgs, parallelGc: options.parallelGc });
      gateway.origin = `http://127.0.0.1:${port}`;
      await sleep(1000); // let start-up work settle before the idle reading
      idle = memoryOf(gateway.child.pid);
      progress(`gateway pid ${gateway.child.pid} ready, RSS ${mb(idle.rssMB)} 1 s after start; waiting for it to come to rest (up to 60 s, no traffic)`);
      idle.rest = await restingMemory(gateway.child.pid);
      progress(`gateway idle RSS at rest ${mb(idle.rest.rssMB)} after ${idle.rest.waitedS} s`);
    }

    const results = [];
    for (const name of options.scenarios) {
      const scenario = scenarioByName(name);
      const measurements = [];
      for (const [index, connections] of options.connections.entries()) {
        const rounds = [];
        for (let round = 0; round < options.rounds; round++) {
          const figures = {};
          const order = roundOrder(['direct', ...(bare ? ['bare'] : []), ...(gateway ? ['gateway'] : [])], round);
          for (const target of order) {
            // A scenario's first measurement of each target warms up longer: its code is compiled then.
            const extraWarmupS = index === 0 && round === 0 ? options.jitWarmupS : 0;
            const at = target === 'direct' ? { origin: emulatorOrigin } : target === 'bare' ? { origin: bare.origin, pid: bare.child.pid } : { origin: gateway.origin, pid: gateway.child.pid };
            figures[target] = await measure({ ...at, scenario, target, connections, options, rate: options.rate, extraWarmupS });
          }
          rounds.push({ ...figures, order: order.join(',') });
        }
        const m = combineRounds(connections, rounds);
        if (gateway) m.gatewayRssMB = memoryOf(gateway.child.pid).rssMB;
        measurements.push(m);
      }
      results.push({ scenario, measurements });
      console.log(`\n== ${scenario.name}: ${scenario.title}; POST ${scenario.path}`);
      console.log(scenarioTable(scenario, measurements));
      if (options.rounds > 1) console.log(`each round (the table above shows, per target, the round with the median req/s):\n${roundsTable(scenario, measurements)}`);
      const primary = measurements.filter((m) => m.gateway?.primaryCpuUsPerRequest !== undefined);
      if (primary.length > 0) console.log(`of the gateway's CPU per request, the cluster primary: ${primary.map((m) => `c=${m.connections} ${m.gateway.primaryCpuUsPerRequest.toFixed(0)} us`).join(', ')}`);
    }

    if (gateway) {
      const after = memoryOf(gateway.child.pid);
      console.log('\n== ratios (same run): gateway against the bare proxy and against the emulator direct');
      console.log(comparisonTable(results));
      console.log(`\ngateway memory: 1 s after start ${mb(idle.rssMB)}, idle at rest ${mb(idle.rest.rssMB)} (after ${idle.rest.waitedS} s without traffic), after load ${mb(after.rssMB)}, peak ${mb(after.peakMB)} (VmRSS / VmHWM${options.workers > 1 ? ', primary process only' : ''})`);
      const checks = results.flatMap(({ scenario, measurements }) => measurements.flatMap((m) => verdicts(scenario, m, { paced: options.rate !== undefined })));
      if (options.workers === 1) checks.push(memoryVerdict(idle.rest.rssMB));
      console.log(`\n== targets (issue 10; idle RSS target ${IDLE_RSS_TARGET_MB} MiB)`);
      console.log(targetTable(checks));
      const failed = checks.filter((c) => !c.pass).length;
      console.log(`\n${failed === 0 ? 'ALL TARGETS MET' : `${failed} of ${checks.length} targets not met`}`);
    }
    const errors = errorLines(results);
    if (errors.length > 0) console.log(`\nerrors:\n  ${errors.join('\n  ')}`);
  } finally {
    clearTimeout(watchdog);
    // The gateway first, on its own: --cpu-prof writes its profile on a clean exit.
    if (gateway) await stopChild(gateway.child, 15_000);
    await stopAll();
    config?.remove();
  }
}

let failing = false;
async function fail(error) {
  if (failing) return;
  failing = true;
  process.stderr.write(`\nbench: ${error?.stack && !error.message.includes('\n') ? error.stack : error?.message ?? error}\n`);
  await stopAll();
  tempConfig?.remove();
  process.exit(1);
}

async function interrupted(signal) {
  process.stderr.write(`\nbench: ${signal}, stopping the child processes\n`);
  await stopAll();
  tempConfig?.remove();
  process.exit(130);
}

process.on('SIGINT', interrupted);
process.on('SIGTERM', interrupted);
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options.help) console.log(USAGE);
else main(options).catch(fail);
