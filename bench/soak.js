// `npm run soak`: the gateway under steady load for a bounded time (default 10 minutes), its
// resident memory sampled every few seconds, to show whether it stays flat (issue 10: within
// 10%). Same emulator, gateway config and pinning as `npm run bench`; not run in CI.
//   npm run soak -- [--minutes N] [--connections N] [--sample-seconds S] [--no-pin]
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_KEY, FEATURE_PLUGINS, GATEWAY_KEY, writeGatewayConfig } from './gateway-config.js';
import { createPool, postJson, runLoad } from './load.js';
import { freePort, memoryOf, pinSelf, startEmulatorProcess, startGatewayProcess, stopAll, stopChild, tasksetAvailable } from './processes.js';
import { machineLine } from './machine.js';
import { mb, table } from './report.js';
import { scenarioByName } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'core', 'bin', 'gatehouse.js');
const EMULATOR = fileURLToPath(new URL('./upstream-emulator.js', import.meta.url));
const FLATNESS_TARGET = 0.10;
// A mix of what the gateway serves: most connections on chat, some on embeddings and streams.
const MIX = [['chat', 0.5], ['embeddings', 0.25], ['chat-stream-burst', 0.25]];

function parse(argv) {
  const options = { minutes: 10, connections: 16, sampleS: 5, pin: true };
  for (let i = 0; i < argv.length; i++) {
    const next = () => Number(argv[++i]);
    switch (argv[i]) {
      case '--minutes': options.minutes = next(); break;
      case '--connections': options.connections = next(); break;
      case '--sample-seconds': options.sampleS = next(); break;
      case '--no-pin': options.pin = false; break;
      case '--help': console.log('npm run soak -- [--minutes N (default 10)] [--connections N (default 16)] [--sample-seconds S (default 5)] [--no-pin]'); process.exit(0);
      // falls through
      default: throw new Error(`unknown option "${argv[i]}"`);
    }
  }
  if (!(options.minutes > 0) || !(options.connections >= 3) || !(options.sampleS > 0)) throw new Error('--minutes > 0, --connections >= 3, --sample-seconds > 0');
  return options;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(options) {
  const pin = options.pin && os.cpus().length >= 2 && tasksetAvailable();
  if (pin) pinSelf('1');
  const durationMs = options.minutes * 60_000;
  const watchdog = setTimeout(() => { process.stderr.write('soak: still running past its bound, giving up\n'); stopAll().then(() => process.exit(1)); }, durationMs + 120_000);
  watchdog.unref();
  console.log(`Gatehouse soak (${new Date().toISOString()})\n${machineLine()}`);
  console.log(`${options.minutes} min steady load, ${options.connections} connections (${MIX.map(([n, s]) => `${n} ${Math.round(s * 100)}%`).join(', ')}); RSS every ${options.sampleS} s; pinning: ${pin ? 'gateway core 0, emulator and load generator core 1' : 'none'}`);

  const emulator = await startEmulatorProcess(EMULATOR, { core: pin ? '1' : undefined, chunkDelayMs: 0 });
  const config = writeGatewayConfig(emulator.port, [join(ROOT, 'providers', 'openai'), ...FEATURE_PLUGINS.map((name) => join(ROOT, 'plugins', name))]);
  try {
    const port = await freePort();
    const gateway = await startGatewayProcess({ cwd: ROOT, cli: CLI, configPath: config.path, port, core: pin ? '0' : undefined, logDir: config.dir });
    const origin = `http://127.0.0.1:${port}`;
    const idle = memoryOf(gateway.child.pid).rssMB;
    console.log(`gateway pid ${gateway.child.pid}, idle RSS ${mb(idle)}`);

    const samples = [];
    const started = performance.now();
    const sampler = setInterval(() => {
      const { rssMB } = memoryOf(gateway.child.pid);
      samples.push({ s: (performance.now() - started) / 1000, rssMB });
    }, options.sampleS * 1000);

    const loads = MIX.map(([name, share]) => {
      const scenario = scenarioByName(name);
      const connections = Math.max(1, Math.round(options.connections * share));
      const send = postJson({ path: scenario.path, body: JSON.stringify(scenario.body(scenario.gatewayModel)), headers: { authorization: `Bearer ${GATEWAY_KEY}` }, stream: scenario.stream === true });
      const pool = createPool(origin, connections);
      return runLoad({ pool, connections, durationMs, send }).finally(() => pool.close().catch(() => {}));
    });
    const results = await Promise.all(loads);
    clearInterval(sampler);

    // The first minute (or tenth of the run) is warm-up: JIT, pools and caches fill.
    const warmupS = Math.min(60, (durationMs / 1000) / 10);
    const steady = samples.filter((x) => x.s >= warmupS);
    const window = Math.max(1, Math.floor(steady.length / 10));
    const first = mean(steady.slice(0, window).map((x) => x.rssMB));
    const last = mean(steady.slice(-window).map((x) => x.rssMB));
    const peak = Math.max(...steady.map((x) => x.rssMB));
    const growth = last / first - 1;
    const every = Math.max(1, Math.floor(samples.length / 20));
    console.log('\nRSS over time (every few samples):');
    console.log(table(['t (s)', 'RSS'], samples.filter((_, i) => i % every === 0 || i === samples.length - 1).map((x) => [x.s.toFixed(0), mb(x.rssMB)])));
    console.log('\nload:');
    console.log(table(['scenario', 'conns', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors'], results.map((r, i) => [MIX[i][0], r.connections, r.ok, r.rps.toFixed(0), r.latency.p50.toFixed(2), r.latency.p99.toFixed(2), r.errors])));
    console.log(`\nsteady state (after ${warmupS.toFixed(0)} s): first ${window} samples ${mb(first)}, last ${window} samples ${mb(last)}, peak ${mb(peak)}`);
    console.log(`RSS growth ${(growth * 100).toFixed(1)}% (target: within ${FLATNESS_TARGET * 100}%): ${Math.abs(growth) <= FLATNESS_TARGET ? 'PASS' : 'FAIL'}`);
    await stopChild(gateway.child, 15_000);
  } finally {
    clearTimeout(watchdog);
    await stopAll();
    config.remove();
  }
}

let options;
try {
  options = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`soak: ${error.message}\n`);
  process.exit(2);
}
main(options).catch(async (error) => {
  process.stderr.write(`soak: ${error.stack ?? error}\n`);
  await stopAll();
  process.exit(1);
});
process.on('SIGINT', () => stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => stopAll().then(() => process.exit(130)));
