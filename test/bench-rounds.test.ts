// The benchmark's verdicts over interleaved rounds: the median of ratios taken within each
// round, so that one slow window does not decide a target, and errors in any round fail it.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';

type Figures = { rps: number; cpuUsPerRequest: number; errors: number; errorKinds?: Record<string, { count: number; sample: string }>; latency: { p50: number }; ttfb?: { p50: number } };
type Round = { direct?: Figures; bare?: Figures; gateway?: Figures };
type Check = { what: string; value: string; target: string; pass: boolean };

const bench = (file: string) => fileURLToPath(new URL(`../../bench/${file}`, import.meta.url));
const rounds = (await import(bench('rounds.js'))) as {
  median(values: number[]): number;
  roundOrder(targets: string[], index: number): string[];
  combineRounds(connections: number, rounds: Round[]): Round & { connections: number; rounds: Round[] };
};
const targets = (await import(bench('targets.js'))) as {
  verdicts(scenario: object, measurement: object, options?: { paced?: boolean }): Check[];
};

const figures = (rps: number, extra: Partial<Figures> = {}): Figures => ({ rps, cpuUsPerRequest: 1e6 / rps, errors: 0, latency: { p50: 1 }, ...extra });
const CHAT = { name: 'chat', stream: false };
const PACED_STREAM = { name: 'chat-stream', stream: true, paced: true };

describe('bench rounds', () => {
  it('takes the median, ignoring values that are not numbers', () => {
    expect(rounds.median([3, 1, 2])).to.equal(2);
    expect(rounds.median([4, 1, 3, 2])).to.equal(2.5);
    expect(rounds.median([NaN, 5])).to.equal(5);
    expect(rounds.median([])).to.be.NaN;
  });

  it('reverses the order of targets every other round', () => {
    expect(rounds.roundOrder(['direct', 'bare', 'gateway'], 0)).to.deep.equal(['direct', 'bare', 'gateway']);
    expect(rounds.roundOrder(['direct', 'bare', 'gateway'], 1)).to.deep.equal(['gateway', 'bare', 'direct']);
  });

  it('judges the median of the per-round ratios, not the ratio of per-target medians', () => {
    // Round 2's bare proxy hit a slow host: its own ratio is an outlier, the median is not.
    const m = rounds.combineRounds(64, [
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(4_000) },
      { direct: figures(10_000), bare: figures(4_000), gateway: figures(3_900) },
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(4_400) },
    ]);
    const [check] = targets.verdicts(CHAT, m);
    expect(check!.what).to.equal('chat c=64: req/s gateway / bare proxy');
    expect(check!.value).to.equal('0.55x (0.50x, 0.97x, 0.55x)');
    expect(check!.pass).to.equal(false);
    // The table's figures for a target are one real round: the one with the median req/s.
    expect(m.bare!.rps).to.equal(8_000);
    expect(m.gateway!.rps).to.equal(4_000);
  });

  it('passes a target whose median round meets it even when one round does not', () => {
    const m = rounds.combineRounds(16, [
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(5_000) },
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(2_000) },
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(5_200) },
    ]);
    expect(targets.verdicts(CHAT, m)[0]!.pass).to.equal(true);
  });

  it('fails on gateway errors in any round, counting them all', () => {
    const m = rounds.combineRounds(16, [
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(6_000) },
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(6_000, { errors: 2, errorKinds: { 'status 502': { count: 2, sample: 'bad gateway' } } }) },
      { direct: figures(10_000), bare: figures(8_000), gateway: figures(6_000, { errors: 1, errorKinds: { 'status 502': { count: 1, sample: 'later' } } }) },
    ]);
    const checks = targets.verdicts(CHAT, m);
    expect(checks.map((c) => [c.what, c.value, c.pass])).to.deep.equal([
      ['chat c=16: req/s gateway / bare proxy', '0.75x (0.75x, 0.75x, 0.75x)', true],
      ['chat c=16: gateway errors', '3', false],
    ]);
    expect(m.gateway!.errorKinds).to.deep.equal({ 'status 502': { count: 3, sample: 'bad gateway' } });
  });

  it('checks streams on the median added time to the first chunk and the median throughput ratio', () => {
    const stream = (direct: number, gateway: number, gwRps: number): Round => ({
      direct: figures(260, { ttfb: { p50: direct } }),
      bare: figures(260, { ttfb: { p50: direct } }),
      gateway: figures(gwRps, { ttfb: { p50: gateway } }),
    });
    const m = rounds.combineRounds(64, [stream(11, 11.5, 240), stream(11, 15, 250), stream(11, 11.9, 245)]);
    const checks = targets.verdicts(PACED_STREAM, m);
    expect(checks.map((c) => [c.what, c.pass])).to.deep.equal([
      ['chat-stream c=64: added time to first chunk, p50', true],
      ['chat-stream c=64: streams/s gateway / direct', false],
    ]);
    expect(checks[0]!.value).to.equal('0.90 ms (0.50 ms, 4.00 ms, 0.90 ms)');
  });

  it('reads a measurement without rounds as one round', () => {
    const checks = targets.verdicts(CHAT, { connections: 16, direct: figures(10_000), bare: figures(8_000), gateway: figures(4_000) });
    expect(checks).to.deep.equal([{ what: 'chat c=16: req/s gateway / bare proxy', value: '0.50x', target: '>= 0.6x', pass: false }]);
  });
});
