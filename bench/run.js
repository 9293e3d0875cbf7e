// `npm run bench`: the gateway's overhead over calling the upstream directly.
// Starts the upstream emulator and the gateway as child processes, runs the same load straight
// at the emulator and through the gateway (load generator in this process), prints the figures.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './args.js';
import { API_KEY, writeGatewayConfig } from './gateway-config.js';
import { createPool, postJson, runLoad } from './load.js';
import { memoryOf, freePort, startEmulatorProcess, startGatewayProcess, stopAll, tasksetAvailable } from './processes.js';
import { comparisonTable, errorLines, mb, scenarioTable } from './report.js';
import { scenarioByName } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'core', 'bin', 'gatehouse.js');
const OPENAI_PROVIDER = join(ROOT, 'providers', 'openai');
const EMULATOR = fileURLToPath(new URL('./upstream-emulator.js', import.meta.url));
const progress = (message) => process.stderr.write(`  ${message}\n`);
const sleep = (msec) => new Promise((r) => setTimeout(r, msec));
let tempConfig; // removed on every exit path, including the watchdog and signals

function machineLine() {
  const cpus = os.cpus();
  return `machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, ${os.platform()} ${os.arch()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM`;
}

function pinning(options) {
  if (!options.pin) return { note: 'not pinned (--pin to pin)', cores: {} };
  if (os.cpus().length < 2) return { note: 'not pinned: needs 2 cores', cores: {} };
  if (!tasksetAvailable()) return { note: 'not pinned: taskset not found', cores: {} };
  return { note: 'gateway on core 0, emulator on core 1, load generator unpinned', cores: { gateway: 0, emulator: 1 } };
}

/** Probe once (a clear message instead of a table of errors), warm up, then measure. */
async function measure({ origin, scenario, target, connections, options }) {
  const model = target === 'direct' ? scenario.directModel : scenario.gatewayModel;
  const send = postJson({
    path: scenario.path,
    body: JSON.stringify(scenario.body(model)),
    // The emulator wants a key like OpenAI does; the gateway holds its own key in its config.
    headers: target === 'direct' ? { authorization: `Bearer ${API_KEY}` } : {},
    stream: scenario.stream === true,
  });
  const pool = createPool(origin, connections);
  try {
    try {
      await send(pool, performance.now());
    } catch (error) {
      progress(`${scenario.name} ${target}: skipped, the probe request failed: ${error.message}`);
      return undefined;
    }
    progress(`${scenario.name} ${target} c=${connections}: ${options.warmupS} s warm-up + ${options.durationS} s`);
    if (options.warmupS > 0) await runLoad({ pool, connections, durationMs: options.warmupS * 1000, send });
    return await runLoad({ pool, connections, durationMs: options.durationS * 1000, send });
  } finally {
    await pool.close().catch(() => {});
  }
}

async function main(options) {
  const cli = options.gatewayCli ? resolve(options.gatewayCli) : CLI;
  if (!options.directOnly && !existsSync(cli)) {
    throw new Error(`${cli} does not exist yet: build the gateway first (npm run build), or run with --direct-only.`);
  }
  const pin = pinning(options);
  const targets = options.directOnly ? 1 : 2;
  const expectedS = options.scenarios.length * options.connections.length * targets * (options.durationS + options.warmupS);
  // Bounded whatever happens: the expected time plus start-up and grace, then give up.
  const watchdog = setTimeout(() => fail(new Error(`still running after ${Math.round(expectedS + 90)} s, giving up`)), (expectedS + 90) * 1000);
  watchdog.unref();

  console.log(`Gatehouse benchmark (${new Date().toISOString()})`);
  console.log(machineLine());
  console.log(`pinning: ${pin.note}; the load generator shares the machine with both servers, so compare gateway/direct within one run`);
  if (options.plugins.length > 0) console.log(`extra plugins in the gateway: ${options.plugins.join(', ')}`);
  if (options.withoutPlugins.length > 0) console.log(`plugins kept out of the gateway: ${options.withoutPlugins.join(', ')}`);
  console.log(`per measurement: ${options.warmupS} s warm-up + ${options.durationS} s; connections ${options.connections.join(',')}; emulator chunk delay ${options.chunkDelayMs} ms; expected ~${Math.round(expectedS)} s`);

  const emulator = await startEmulatorProcess(EMULATOR, { core: pin.cores.emulator, chunkDelayMs: options.chunkDelayMs });
  const emulatorOrigin = `http://127.0.0.1:${emulator.port}`;
  progress(`emulator pid ${emulator.child.pid} on ${emulatorOrigin}`);

  let gateway;
  let config;
  let idle;
  try {
    if (!options.directOnly) {
      const packages = [OPENAI_PROVIDER, ...options.plugins.map((dir) => resolve(dir))];
      config = tempConfig = writeGatewayConfig(emulator.port, packages, options.withoutPlugins.map((dir) => resolve(dir)));
      const port = await freePort();
      progress(`starting the gateway on 127.0.0.1:${port} (config ${config.path})`);
      gateway = await startGatewayProcess({ cwd: ROOT, cli, configPath: config.path, port, core: pin.cores.gateway, logDir: config.dir });
      gateway.origin = `http://127.0.0.1:${port}`;
      await sleep(500); // let start-up work settle before the idle reading
      idle = memoryOf(gateway.child.pid);
      progress(`gateway pid ${gateway.child.pid} ready, idle RSS ${mb(idle.rssMB)}`);
    }

    const results = [];
    for (const name of options.scenarios) {
      const scenario = scenarioByName(name);
      const measurements = [];
      for (const connections of options.connections) {
        const m = { connections };
        m.direct = await measure({ origin: emulatorOrigin, scenario, target: 'direct', connections, options });
        if (gateway) {
          m.gateway = await measure({ origin: gateway.origin, scenario, target: 'gateway', connections, options });
          m.gatewayRssMB = memoryOf(gateway.child.pid).rssMB;
        }
        measurements.push(m);
      }
      results.push({ scenario, measurements });
      console.log(`\n== ${scenario.name}: ${scenario.title}; POST ${scenario.path}`);
      console.log(scenarioTable(scenario, measurements));
      if (gateway) console.log(`gateway RSS after this scenario: ${measurements.map((m) => `c=${m.connections} ${mb(m.gatewayRssMB)}`).join(', ')}`);
    }

    if (gateway) {
      const after = memoryOf(gateway.child.pid);
      console.log('\n== gateway vs direct (ratios and added milliseconds, same run)');
      console.log(comparisonTable(results));
      console.log(`\ngateway memory: idle ${mb(idle.rssMB)}, after load ${mb(after.rssMB)}, peak ${mb(after.peakMB)} (VmRSS / VmHWM)`);
    }
    const errors = errorLines(results);
    if (errors.length > 0) console.log(`\nerrors:\n  ${errors.join('\n  ')}`);
  } finally {
    clearTimeout(watchdog);
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
