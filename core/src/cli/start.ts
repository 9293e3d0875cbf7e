// `gatehouse start`: serve the gateway, in one process or N worker processes (node:cluster).
import cluster from 'node:cluster';
import { startGateway, type RunningServer } from '../server.js';
import { isGatewayError } from '../errors.js';
import { hostCounters } from '../cluster/ipc-counters.js';
import { gcMode, singleCoreHint, workerExecArgv } from './gc-threads.js';
import { usableCores } from './usable-cores.js';

export interface StartOptions {
  readonly configPath: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly workers: number;
}

const WORKER_ENV = 'GATEHOUSE_WORKER_OPTIONS';

export async function start(options: StartOptions): Promise<number> {
  if (options.workers > 1 && cluster.isPrimary) return runPrimary(options);
  return runServer(options);
}

async function runServer(options: StartOptions): Promise<number> {
  let running: RunningServer;
  try {
    running = await startGateway({ configPath: options.configPath, host: options.host, port: options.port });
  } catch (error) {
    process.stderr.write(`gatehouse: ${isGatewayError(error) ? error.message : (error as Error).stack}\n`);
    return 1;
  }
  running.gateway.log.info(`Gatehouse listening on ${running.url}`, { url: running.url, pid: process.pid, gc: gcMode(process.execArgv) });
  const hint = cluster.isWorker ? undefined : singleCoreHint(process.execArgv, await usableCores(), false);
  if (hint) running.gateway.log.info(hint);
  const onMessage = (message: unknown) => {
    if (message === 'gatehouse:shutdown') stop('primary');
  };
  let stop: (signal: string) => void = () => undefined;
  await new Promise<void>((resolve) => {
    stop = (signal: string) => {
      running.gateway.log.info('shutting down: waiting for requests in flight', { signal, inFlight: running.gateway.inFlight });
      running.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // A worker is told to stop by its primary.
    process.on('message', onMessage);
  });
  process.off('message', onMessage);
  // A worker's IPC channel keeps it alive: close it so the process exits and the primary sees it.
  if (cluster.isWorker) process.disconnect();
  return 0;
}

/** The primary forks workers that share the port, restarts crashed ones, and forwards shutdown. */
async function runPrimary(options: StartOptions): Promise<number> {
  let stopping = false;
  let failedStarts = 0;
  // Rate-limit and budget counters live here, so the workers together admit exactly the limit.
  hostCounters();
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, options.workers, await usableCores()) });
  const fork = () => {
    const worker = cluster.fork({ [WORKER_ENV]: '1' });
    worker.once('listening', () => {
      failedStarts = 0;
    });
    return worker;
  };
  for (let i = 0; i < options.workers; i++) fork();
  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code) => {
      const alive = Object.keys(cluster.workers ?? {}).length;
      if (stopping) {
        if (alive === 0) resolve(0);
        return;
      }
      failedStarts++;
      if (failedStarts > options.workers * 3) {
        process.stderr.write('gatehouse: workers keep failing to start; giving up.\n');
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill();
        resolve(1);
        return;
      }
      process.stderr.write(`gatehouse: worker ${worker.process.pid} exited with code ${code}; starting a new one.\n`);
      setTimeout(fork, Math.min(5000, 200 * failedStarts));
    });
    const stop = () => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) resolve(0);
      for (const w of workers) w?.send('gatehouse:shutdown');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
