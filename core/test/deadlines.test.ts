import { expect } from 'chai';
import { Deadlines } from '../src/deadlines.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Deadlines: one timer for many timeouts of one duration', () => {
  it('times out each call at its own deadline, in the order they started, and never one that finished', async () => {
    const deadlines = new Deadlines(40);
    const fired: string[] = [];
    const started = performance.now();
    const at: Record<string, number> = {};
    const fire = (name: string) => () => {
      fired.push(name);
      at[name] = performance.now() - started;
    };
    deadlines.start(fire('a'));
    const doneB = deadlines.start(fire('b'));
    await sleep(20);
    deadlines.start(fire('c'));
    doneB();
    await sleep(90);
    expect(fired).to.deep.equal(['a', 'c']);
    expect(at.a).to.be.at.least(35);
    expect(at.c).to.be.at.least(55);
  });

  it('leaves no timer behind once every call finished (an idle process can exit)', async () => {
    const deadlines = new Deadlines(10_000);
    const done = deadlines.start(() => expect.fail('finished calls never time out'));
    done();
    expect((deadlines as unknown as { timer: unknown }).timer).to.equal(undefined);
  });
});

describe('Deadlines in the background (request hooks)', () => {
  it('keeps one unref’d timer across calls that come and go, still timing out a stuck one', async () => {
    const deadlines = new Deadlines(30, true);
    const internals = deadlines as unknown as { timer: NodeJS.Timeout | undefined };
    deadlines.start(() => expect.fail('finished'))();
    const timer = internals.timer;
    expect(timer).not.to.equal(undefined);
    expect(timer!.hasRef()).to.equal(false);
    deadlines.start(() => expect.fail('finished'))();
    expect(internals.timer).to.equal(timer);
    let fired = false;
    deadlines.start(() => (fired = true));
    await sleep(80);
    expect(fired).to.equal(true);
    await sleep(40);
    expect(internals.timer).to.equal(undefined);
  });
});

describe('Deadlines bookkeeping', () => {
  it('removes calls from anywhere in the list, once, and a call that fired is not removed twice', async () => {
    const deadlines = new Deadlines(30);
    const fired: string[] = [];
    const doneA = deadlines.start(() => fired.push('a'));
    const doneB = deadlines.start(() => fired.push('b'));
    const doneC = deadlines.start(() => fired.push('c'));
    deadlines.start(() => fired.push('d'));
    doneB();
    doneB();
    doneA();
    expect(deadlines.size).to.equal(2);
    await sleep(70);
    expect(fired).to.deep.equal(['c', 'd']);
    expect(deadlines.size).to.equal(0);
    doneC();
    expect(deadlines.size).to.equal(0);
    const late = deadlines.start(() => fired.push('e'));
    expect(deadlines.size).to.equal(1);
    late();
    expect(deadlines.size).to.equal(0);
  });
});
