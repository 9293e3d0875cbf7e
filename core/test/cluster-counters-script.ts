// Run by counters.test.ts: a cluster primary hosting the counters and two workers that each
// fire a concurrent burst at one limit. The primary prints how many calls were admitted.
import cluster from 'node:cluster';
import { createCounters, hostCounters } from '../src/cluster/ipc-counters.js';

const LIMIT = 37;
const PER_WORKER = 50;

if (cluster.isPrimary) {
  hostCounters();
  let admitted = 0;
  let done = 0;
  for (let i = 0; i < 2; i++) {
    cluster.fork().on('message', (message: { admitted?: number }) => {
      if (message.admitted === undefined) return;
      admitted += message.admitted;
      if (++done === 2) {
        process.stdout.write(`${JSON.stringify({ admitted })}\n`);
        for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      }
    });
  }
} else {
  const counters = createCounters();
  const results = await Promise.all(Array.from({ length: PER_WORKER }, () => counters.consume('burst', 1, LIMIT, 'minute')));
  process.send!({ admitted: results.filter((r) => r.allowed).length });
}
