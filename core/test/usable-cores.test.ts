import { expect } from 'chai';
import { coresFromCpuMax, coresFromQuota, usableCores, type ReadText } from '../src/cli/usable-cores.js';

/** A reader over fake files; a path that is not there fails as readFile does. */
const files = (entries: Record<string, string>): ReadText => async (path) => {
  const text = entries[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
};

describe('usable cores (CPU affinity and cgroup quota)', () => {
  it("reads cgroup v2's cpu.max, rounding a fractional quota up", () => {
    expect(coresFromCpuMax('max 100000\n')).to.equal(undefined);
    expect(coresFromCpuMax('100000 100000\n')).to.equal(1);
    expect(coresFromCpuMax('150000 100000')).to.equal(2);
    expect(coresFromCpuMax('50000 100000')).to.equal(1);
    expect(coresFromCpuMax('')).to.equal(undefined);
  });

  it("reads cgroup v1's quota and period, -1 meaning none", () => {
    expect(coresFromQuota('-1', '100000')).to.equal(undefined);
    expect(coresFromQuota('200000\n', '100000\n')).to.equal(2);
    expect(coresFromQuota(undefined, '100000')).to.equal(undefined);
  });

  it("takes the process's own cgroup v2 directory first, then the root, then cgroup v1", async () => {
    const own = files({ '/proc/self/cgroup': '0::/kubepods/pod1\n', '/sys/fs/cgroup/kubepods/pod1/cpu.max': '100000 100000', '/sys/fs/cgroup/cpu.max': 'max 100000' });
    expect(await usableCores(own, 8)).to.equal(1);
    const root = files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '300000 100000' });
    expect(await usableCores(root, 8)).to.equal(3);
    const v1 = files({ '/proc/self/cgroup': '4:cpu:/\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' });
    expect(await usableCores(v1, 8)).to.equal(1);
  });

  it('keeps the affinity when it is the smaller, and when there is no quota or no cgroup files at all', async () => {
    expect(await usableCores(files({ '/sys/fs/cgroup/cpu.max': '400000 100000' }), 2)).to.equal(2);
    expect(await usableCores(files({ '/sys/fs/cgroup/cpu.max': 'max 100000' }), 4)).to.equal(4);
    expect(await usableCores(files({}), 6)).to.equal(6);
  });
});
