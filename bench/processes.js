// Child processes of the benchmark (emulator, gateway): start, optionally pinned to a core,
// wait until ready, read their memory, and make sure none outlives the runner.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { request } from 'undici';

const children = new Set();

// Last resort on any exit path (error, signal, normal end): nothing is left running.
process.on('exit', () => {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
});

function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

export function tasksetAvailable() {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Spawn `node args...`, through `taskset -c core` when `core` is a number. */
export function spawnNode(args, { core, ...options } = {}) {
  const child = core === undefined
    ? spawn(process.execPath, args, options)
    : spawn('taskset', ['-c', String(core), process.execPath, ...args], options);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export function stopChild(child, graceMs = 3000) {
  if (!child || !isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function stopAll() {
  return Promise.all([...children].map((child) => stopChild(child)));
}

/** A port that was free a moment ago (the gateway binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tail(text, lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Node arguments for a proxy pinned to `core`: one core (a single core number) and one process
 * get --single-threaded-gc, as the README tells operators to run a one-core gateway (V8's GC
 * helper threads could only take turns with the request thread there). The bare proxy gets the
 * same, so both are measured as they would best run on one core. `parallelGc` keeps V8's default.
 */
export function oneCoreNodeArgs(core, { workers = 1, parallelGc = false } = {}) {
  return !parallelGc && workers === 1 && /^\d+$/.test(String(core ?? '')) ? ['--single-threaded-gc'] : [];
}

/** Start a script that prints {"event":"listening","port":N} in its own process; resolves to { child, port }. */
export function startListeningProcess(script, args, { core, name, nodeArgs = [], timeoutMs = 10_000 }) {
  // stdin stays an open pipe: the child exits when it closes, even if the runner is killed.
  const child = spawnNode([...nodeArgs, script, ...args, '--exit-with-parent'], { core, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      reject(new Error(`${name} ${why}${stderr ? `:\n${tail(stderr, 20)}` : ''}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before listening`));
    child.stdout.on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({ child, port: JSON.parse(line).port });
    });
  });
}

/** Start the emulator in its own process; resolves to { child, port } once it listens. */
export function startEmulatorProcess(script, { core, chunkDelayMs }) {
  return startListeningProcess(script, ['--port', '0', '--require-key', '--chunk-delay', String(chunkDelayMs)], { core, name: 'upstream emulator' });
}

/** Start the bare proxy (bench/bare-proxy.js) in front of `upstream`. */
export function startBareProxyProcess(script, { core, upstream, parallelGc = false }) {
  return startListeningProcess(script, ['--port', '0', '--upstream', upstream], { core, nodeArgs: oneCoreNodeArgs(core, { parallelGc }), name: 'bare proxy' });
}

/**
 * Start the gateway CLI; its stdout/stderr go to files in `logDir` (no pipe for the runner to
 * drain, so its logging cost stays in the gateway). Resolves to { child, logs } once /health is 200.
 */
export async function startGatewayProcess({ cwd, cli, configPath, port, core, logDir, workers = 1, nodeArgs = [], parallelGc = false, timeoutMs = 30_000 }) {
  const logs = { stdout: `${logDir}/gateway.stdout.log`, stderr: `${logDir}/gateway.stderr.log` };
  const out = openSync(logs.stdout, 'w');
  const err = openSync(logs.stderr, 'w');
  const args = [...oneCoreNodeArgs(core, { workers, parallelGc }), ...nodeArgs, cli, 'start', '--config', configPath, '--host', '127.0.0.1', '--port', String(port), ...(workers > 1 ? ['--workers', String(workers)] : [])];
  // The usage plugin (discovered from the root package.json) writes its SQLite file beside the logs.
  const env = { ...process.env, GATEHOUSE_DATA_DIR: logDir };
  const child = spawnNode(args, { core, cwd, env, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  let exited;
  child.once('exit', (code, signal) => { exited = signal ?? `code ${code}`; });
  child.once('error', (error) => { exited = `spawn error: ${error.message}`; });

  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline && exited === undefined) {
    try {
      const { statusCode, body } = await request(`http://127.0.0.1:${port}/health`, { headersTimeout: 2000, bodyTimeout: 2000 });
      await body.dump();
      if (statusCode === 200) return { child, logs };
      lastProblem = `GET /health answered ${statusCode}`;
    } catch (error) {
      lastProblem = error.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  const why = exited !== undefined ? `exited (${exited}) before it was ready` : `was not ready within ${timeoutMs / 1000} s (${lastProblem})`;
  const read = (file) => { try { return tail(readFileSync(file, 'utf8'), 40); } catch { return ''; } };
  throw new Error(`the gateway ${why}.\ncommand: node ${args.join(' ')}\n`
    + `--- gateway stderr ---\n${read(logs.stderr) || '(empty)'}\n--- gateway stdout (last lines) ---\n${read(logs.stdout) || '(empty)'}`);
}

/** Resident memory of a process in MiB from /proc (Linux): current (VmRSS) and peak (VmHWM). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMB: NaN, peakMB: NaN };
  }
}

/**
 * Resident memory once a process with no traffic is at rest: V8 keeps the young generation that
 * start-up grew and the garbage start-up left until its memory reducer runs (here ~25 s after
 * the last allocation burst). Polls every second until RSS has fallen 10% below the first reading
 * and held for 3 s, or `maxMs` passes; resolves to the last reading and the seconds waited.
 */
export async function restingMemory(pid, { maxMs = 60_000 } = {}) {
  const first = memoryOf(pid).rssMB;
  let last = first;
  let lowSince;
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    last = memoryOf(pid).rssMB;
    if (last <= first * 0.9) {
      lowSince ??= performance.now();
      if (performance.now() - lowSince >= 3000) break;
    } else lowSince = undefined;
  }
  return { rssMB: last, waitedS: Math.round((performance.now() - started) / 1000) };
}

const TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, µs) of a process and its descendants (cluster workers), by pid,
 * from /proc (Linux). Threads (the SQLite worker, libuv's pool) are counted in their process.
 */
export function cpuTimes(rootPid) {
  const stats = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(name);
    if (stat) stats.set(Number(name), stat);
  }
  const out = new Map();
  const visit = (pid) => {
    const stat = stats.get(pid);
    if (!stat) return;
    out.set(pid, (stat.ticks / TICKS_PER_S) * 1e6);
    for (const [child, s] of stats) if (s.ppid === pid) visit(child);
  };
  visit(rootPid);
  return out;
}

/** CPU µs spent between two cpuTimes() readings, by processes present in both. */
export function cpuSpent(before, after) {
  let total = 0;
  for (const [pid, us] of after) total += us - (before.get(pid) ?? us);
  return total;
}

/** The same, for the root process alone (a cluster primary without its workers). */
export function cpuSpentBy(pid, before, after) {
  return (after.get(pid) ?? 0) - (before.get(pid) ?? 0);
}

/** Pin this process (the load generator) and all its threads to `core`. */
export function pinSelf(core) {
  return spawnSync('taskset', ['-a', '-c', '-p', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0;
}
