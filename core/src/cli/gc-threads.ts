// Whether a gateway process should collect garbage on its own thread. V8 scavenges and marks on
// helper threads by default; when every core already runs a gateway process (one process on one
// core, or as many workers as cores) those helpers only take turns with the request thread, and
// the hand-offs cost more than they save: on one core, measured with `npm run bench`, parallel GC
// took ~20 µs more CPU per chat request than --single-threaded-gc (166–177 against 138–156 µs).
// The flag is read only when V8 starts, so a process cannot switch itself; the cluster primary
// passes it to the workers it forks, and a single process started without it says so once.

export const SINGLE_THREADED_GC = '--single-threaded-gc';

/** True when `execArgv` already decides (either way) whether GC runs single-threaded. */
function decided(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => /^--(no-)?single[-_]threaded[-_]gc$/.test(arg) || /^--(no-)?single[-_]threaded$/.test(arg));
}

/** The node arguments for forked workers: the primary's, plus single-threaded GC when the workers fill every core. */
export function workerExecArgv(execArgv: readonly string[], workers: number, cores: number): string[] {
  if (workers < cores || decided(execArgv)) return [...execArgv];
  return [...execArgv, SINGLE_THREADED_GC];
}

/** How this process collects garbage, for the listening log line. */
export function gcMode(execArgv: readonly string[]): 'single-threaded' | 'parallel' {
  const last = execArgv.filter((arg) => decided([arg])).at(-1);
  return last !== undefined && !last.startsWith('--no-') ? 'single-threaded' : 'parallel';
}

/** A hint for a lone process on one core that runs parallel GC; undefined when there is nothing to say. */
export function singleCoreHint(execArgv: readonly string[], cores: number, clusterWorker: boolean): string | undefined {
  if (clusterWorker || cores > 1 || decided(execArgv)) return undefined;
  return `one CPU core is available (affinity or CPU quota) and V8 collects garbage on helper threads that share it: start node with ${SINGLE_THREADED_GC} to spend less CPU per request (README, Performance)`;
}
