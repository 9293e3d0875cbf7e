import { expect } from 'chai';
import { recordId } from '../src/record-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('record ids', () => {
  it('are UUIDv7: version 7, RFC variant, the millisecond time in the first 48 bits', () => {
    const at = Date.UTC(2026, 11, 7, 12, 0, 0, 123);
    const id = recordId(at);
    expect(id).to.match(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).to.equal(at);
  });

  it('sort by time, and differ within one millisecond', () => {
    const ids = [recordId(1_000), recordId(1_001), recordId(2_000_000_000_000)];
    expect([...ids].sort()).to.deep.equal(ids);
    const same = new Set(Array.from({ length: 1000 }, () => recordId(5_000)));
    expect(same.size).to.equal(1000);
    for (const id of same) expect(id).to.match(UUID_V7);
  });

  it('carry the time of each call when calls alternate between milliseconds (the time part is reused only within one)', () => {
    const times = [1_000, 2_000, 1_000, 1_000.9, 3_000_000_000_000];
    for (const at of times) expect(parseInt(recordId(at).replace(/-/g, '').slice(0, 12), 16)).to.equal(Math.floor(at));
  });
});
