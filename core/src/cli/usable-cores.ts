// How many cores this process may keep busy: its CPU affinity (taskset, cpusets), lowered by a
// cgroup CPU quota when there is one (a container started with --cpus, a Kubernetes CPU limit),
// which Node 20's os.availableParallelism() does not see. Read once at start-up.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

export type ReadText = (path: string) => Promise<string>;

const readText: ReadText = (path) => readFile(path, 'utf8');

/** Cores a quota allows (rounded up), from cgroup v2's cpu.max ("max 100000", "150000 100000"). */
export function coresFromCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  return coresFromQuota(quota, period);
}

/** The same from cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us (-1: no quota). */
export function coresFromQuota(quotaText: string | undefined, periodText: string | undefined): number | undefined {
  const quota = Number(quotaText);
  const period = Number(periodText);
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  return Math.max(1, Math.ceil(quota / period));
}

/** The cgroup v2 directory of this process, from /proc/self/cgroup ("0::/path"). */
function ownCgroupV2(procSelfCgroup: string): string | undefined {
  const line = procSelfCgroup.split('\n').find((l) => l.startsWith('0::'));
  return line === undefined ? undefined : line.slice(3).trim();
}

async function quotaCores(read: ReadText): Promise<number | undefined> {
  const own = ownCgroupV2(await read('/proc/self/cgroup').catch(() => ''));
  const v2 = own !== undefined && own !== '/' ? [`/sys/fs/cgroup${own}/cpu.max`, '/sys/fs/cgroup/cpu.max'] : ['/sys/fs/cgroup/cpu.max'];
  for (const path of v2) {
    const text = await read(path).catch(() => undefined);
    if (text !== undefined) return coresFromCpuMax(text);
  }
  const [quota, period] = await Promise.all([
    read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us').catch(() => undefined),
    read('/sys/fs/cgroup/cpu/cpu.cfs_period_us').catch(() => undefined),
  ]);
  return coresFromQuota(quota, period);
}

/** The smaller of the affinity's cores and the quota's; files that are missing mean no quota. */
export async function usableCores(read: ReadText = readText, affinity: number = availableParallelism()): Promise<number> {
  const quota = await quotaCores(read);
  return quota === undefined ? affinity : Math.min(affinity, quota);
}
