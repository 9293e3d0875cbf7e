import { expect } from 'chai';
import { ExpiringMap } from '../src/cluster/expiring-map.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ExpiringMap (counter state swept by window)', () => {
  it('drops the entries whose window has ended at each sweep and keeps the others', () => {
    let now = 1_000;
    const map = new ExpiringMap<{ end: number }>(() => now);
    map.set('ended', { end: 1_000 }).set('live', { end: 5_000 });
    now = 2_000;
    map.sweep();
    expect([...map.keys()]).to.deep.equal(['live']);
    expect(map.sweeping).to.equal(true);
    map.stop();
  });

  it('sweeps on its own timer, which stops once nothing is held and starts again on the next set', async () => {
    let now = 0;
    const map = new ExpiringMap<{ end: number }>(() => now, 10);
    expect(map.sweeping).to.equal(false);
    map.set('a', { end: 100 });
    expect(map.sweeping).to.equal(true);
    await wait(40);
    expect(map.has('a')).to.equal(true); // its window has not ended
    now = 100;
    await wait(40);
    expect(map.size).to.equal(0);
    expect(map.sweeping).to.equal(false);
    map.set('b', { end: 200 });
    expect(map.sweeping).to.equal(true);
    map.stop();
    expect(map.sweeping).to.equal(false);
  });
});
