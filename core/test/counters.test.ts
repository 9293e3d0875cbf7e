import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { counterWindow, MemoryCounters } from '../src/index.js';

const at = (iso: string) => Date.parse(iso);

describe('shared counters', () => {
  describe('windows', () => {
    it('align seconds, minutes, hours and days to their UTC boundaries', () => {
      const now = at('2026-03-14T15:09:26.535Z');
      expect(counterWindow('second', now)).to.deep.equal({ start: at('2026-03-14T15:09:26Z'), end: at('2026-03-14T15:09:27Z') });
      expect(counterWindow('minute', now)).to.deep.equal({ start: at('2026-03-14T15:09:00Z'), end: at('2026-03-14T15:10:00Z') });
      expect(counterWindow('hour', now)).to.deep.equal({ start: at('2026-03-14T15:00:00Z'), end: at('2026-03-14T16:00:00Z') });
      expect(counterWindow('day', now)).to.deep.equal({ start: at('2026-03-14T00:00:00Z'), end: at('2026-03-15T00:00:00Z') });
    });

    it('follow the calendar for months and years, in UTC (February, December, leap years)', () => {
      expect(counterWindow('month', at('2028-02-29T23:59:59Z'))).to.deep.equal({ start: at('2028-02-01T00:00:00Z'), end: at('2028-03-01T00:00:00Z') });
      expect(counterWindow('month', at('2026-12-31T12:00:00Z'))).to.deep.equal({ start: at('2026-12-01T00:00:00Z'), end: at('2027-01-01T00:00:00Z') });
      expect(counterWindow('year', at('2026-07-01T00:00:00Z'))).to.deep.equal({ start: at('2026-01-01T00:00:00Z'), end: at('2027-01-01T00:00:00Z') });
    });

    it('take a length in milliseconds, aligned to the epoch', () => {
      expect(counterWindow(250, 1_000_130)).to.deep.equal({ start: 1_000_000, end: 1_000_250 });
    });

    it('take an explicit window as given (a time zone\'s day, computed by the caller)', () => {
      const paris = { start: at('2026-03-13T23:00:00Z'), end: at('2026-03-14T23:00:00Z') };
      expect(counterWindow(paris, at('2026-03-14T15:09:26Z'))).to.equal(paris);
    });
  });

  describe('in memory', () => {
    let now = at('2026-03-14T15:09:26.000Z');
    const counters = () => new MemoryCounters(() => now);

    it('admits exactly the limit, then refuses without counting, with the time to the reset', async () => {
      const c = counters();
      const results = await Promise.all(Array.from({ length: 5 }, () => c.consume('k', 1, 3, 'minute')));
      expect(results.map((r) => r.allowed)).to.deep.equal([true, true, true, false, false]);
      expect(results.map((r) => r.remaining)).to.deep.equal([2, 1, 0, 0, 0]);
      expect(results[4]).to.include({ used: 3, limit: 3, resetMs: 34_000, fits: false });
    });

    it('starts again from zero in the next window', async () => {
      const c = counters();
      expect((await c.consume('k', 2, 2, 'second')).allowed).to.equal(true);
      expect((await c.consume('k', 1, 2, 'second')).allowed).to.equal(false);
      now += 1000;
      expect(await c.consume('k', 1, 2, 'second')).to.include({ allowed: true, used: 1 });
    });

    it('count in an explicit window until its end, then from zero in the next one', async () => {
      const c = counters();
      const day = { start: at('2026-03-13T23:00:00Z'), end: at('2026-03-14T23:00:00Z') };
      expect(await c.consume('k', 5, 5, day)).to.include({ allowed: true, used: 5, resetMs: at('2026-03-14T23:00:00Z') - now });
      expect((await c.consume('k', 1, 5, day)).allowed).to.equal(false);
      const next = { start: day.end, end: at('2026-03-15T23:00:00Z') };
      expect(await c.consume('k', 1, 5, next)).to.include({ allowed: true, used: 1 });
    });

    it('consumes several counters all or nothing', async () => {
      const c = counters();
      await c.consume('tokens', 90, 100, 'minute');
      const refused = await c.consumeAll([
        { key: 'requests', amount: 1, limit: 10, period: 'minute' },
        { key: 'tokens', amount: 20, limit: 100, period: 'minute' },
      ]);
      expect(refused.allowed).to.equal(false);
      expect(refused.counters.map((s) => [s.used, s.fits])).to.deep.equal([[0, true], [90, false]]);
      const admitted = await c.consumeAll([
        { key: 'requests', amount: 1, limit: 10, period: 'minute' },
        { key: 'tokens', amount: 10, limit: 100, period: 'minute' },
      ]);
      expect(admitted.allowed).to.equal(true);
      expect(admitted.counters.map((s) => s.used)).to.deep.equal([1, 100]);
    });

    it('adjusts the window a consume returned, never below zero, and ignores an expired one', async () => {
      const c = counters();
      const reserved = await c.consume('tokens', 50, 100, 'minute');
      await c.adjust(reserved.id, -20);
      expect((await c.consume('tokens', 0, 100, 'minute')).used).to.equal(30);
      await c.adjust(reserved.id, -500);
      expect((await c.consume('tokens', 0, 100, 'minute')).used).to.equal(0);
      now += 60_000;
      await c.adjust(reserved.id, 40);
      expect((await c.consume('tokens', 0, 100, 'minute')).used).to.equal(0);
    });

    it('refuses an amount larger than the whole limit, every time', async () => {
      const c = counters();
      expect(await c.consume('tokens', 101, 100, 'minute')).to.include({ allowed: false, used: 0, remaining: 100 });
    });
  });

  describe('in a cluster', () => {
    const script = fileURLToPath(new URL('./cluster-counters-script.js', import.meta.url));
    async function run(...args: string[]): Promise<unknown> {
      const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await new Promise((resolve) => child.on('close', resolve));
      return JSON.parse(out.trim());
    }

    it('is shared by the workers through the primary: a concurrent burst from two workers admits exactly the limit', async function () {
      this.timeout(15_000);
      expect(await run()).to.deep.equal({ admitted: 37 });
    });

    it('admits exactly the limit in all when workers admit shareable calls from their shares', async function () {
      this.timeout(15_000);
      expect(await run('shareable')).to.deep.equal({ admitted: 37 });
    });

    it('fails a call the primary does not answer, after the timeout', async function () {
      this.timeout(15_000);
      const message = 'Shared counters: the primary process did not answer within 200 ms.';
      expect(await run('unhosted')).to.deep.equal({ errors: [message, message] });
    });
  });
});
