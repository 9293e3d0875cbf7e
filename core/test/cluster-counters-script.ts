// Run by counters.test.ts: a cluster primary and two workers that each fire a concurrent burst
// at one limit. The primary prints how many calls were admitted, or the errors the workers got
// when it does not host the counters (argument "unhosted").
import cluster from 'node:cluster';
import { createCounters, hostCounters, IpcCounters } from '../src/cluster/ipc-counters.js';

const LIMIT = 37;
const PER_WORKER = 50;
const unhosted = process.argv[2] === 'unhosted';

if (cluster.isPrimary) {
  if (!unhosted) hostCounters();
  const reports: { admitted?: number; error?: string }[] = [];
  for (let i = 0; i < 2; i++) {
    cluster.fork().on('message', (message: { admitted?: number; error?: string }) => {
      // The counters' own requests pass here too.
      if (message.admitted === undefined && message.error === undefined) return;
      reports.push(message);
      if (reports.length < 2) return;
      const admitted = reports.reduce((sum, r) => sum + (r.admitted ?? 0), 0);
      process.stdout.write(`${JSON.stringify(unhosted ? { errors: reports.map((r) => r.error) } : { admitted })}\n`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    });
  }
} else {
  const counters = unhosted ? new IpcCounters(200) : createCounters();
  try {
    const results = await Promise.all(Array.from({ length: PER_WORKER }, () => counters.consume('burst', 1, LIMIT, 'minute')));
    process.send!({ admitted: results.filter((r) => r.allowed).length });
  } catch (error) {
    process.send!({ error: (error as Error).message });
  }
}
