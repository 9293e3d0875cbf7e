// Run by counters.test.ts: a cluster primary and two workers that each fire a concurrent burst
// at one limit. The primary prints how many calls were admitted, or the errors the workers got
// when it does not host the counters (argument "unhosted"). With "shareable", the checks may be
// admitted from the workers' shares: some calls one after another first, so shares exist.
import cluster from 'node:cluster';
import { createCounters, hostCounters, IpcCounters } from '../src/cluster/ipc-counters.js';

const LIMIT = 37;
const PER_WORKER = 50;
const unhosted = process.argv[2] === 'unhosted';
const shareable = process.argv[2] === 'shareable';

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
    const check = { key: 'burst', amount: 1, limit: LIMIT, period: 'minute' as const, shareable };
    let admitted = 0;
    if (shareable) for (let i = 0; i < 10; i++) if ((await counters.consumeAll([check])).allowed) admitted++;
    const results = await Promise.all(Array.from({ length: PER_WORKER - (shareable ? 10 : 0) }, () => counters.consumeAll([check])));
    process.send!({ admitted: admitted + results.filter((r) => r.allowed).length });
  } catch (error) {
    process.send!({ error: (error as Error).message });
  }
}
