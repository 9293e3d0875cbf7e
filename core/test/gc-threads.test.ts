import { expect } from 'chai';
import { gcMode, SINGLE_THREADED_GC, singleCoreHint, workerExecArgv } from '../src/cli/gc-threads.js';

describe('GC threads of gateway processes', () => {
  it('workers that fill every core collect garbage single-threaded; the primary keeps its own arguments', () => {
    expect(workerExecArgv(['--max-old-space-size=512'], 2, 2)).to.deep.equal(['--max-old-space-size=512', SINGLE_THREADED_GC]);
    expect(workerExecArgv([], 4, 2)).to.deep.equal([SINGLE_THREADED_GC]);
  });

  it('workers that leave cores free keep parallel GC: the helpers have somewhere to run', () => {
    expect(workerExecArgv([], 2, 8)).to.deep.equal([]);
  });

  it("an operator's own choice wins, either way and in either spelling", () => {
    expect(workerExecArgv(['--no-single-threaded-gc'], 2, 2)).to.deep.equal(['--no-single-threaded-gc']);
    expect(workerExecArgv(['--single_threaded_gc'], 2, 2)).to.deep.equal(['--single_threaded_gc']);
    expect(workerExecArgv(['--single-threaded'], 2, 2)).to.deep.equal(['--single-threaded']);
  });

  it('names the mode from the node arguments, the last flag deciding', () => {
    expect(gcMode([])).to.equal('parallel');
    expect(gcMode([SINGLE_THREADED_GC])).to.equal('single-threaded');
    expect(gcMode([SINGLE_THREADED_GC, '--no-single-threaded-gc'])).to.equal('parallel');
    expect(gcMode(['--inspect', '--single-threaded'])).to.equal('single-threaded');
  });

  it('hints only a lone process on one core that runs parallel GC', () => {
    expect(singleCoreHint([], 1, false)).to.include(SINGLE_THREADED_GC);
    expect(singleCoreHint([SINGLE_THREADED_GC], 1, false)).to.equal(undefined);
    expect(singleCoreHint(['--no-single-threaded-gc'], 1, false)).to.equal(undefined);
    expect(singleCoreHint([], 2, false)).to.equal(undefined);
    expect(singleCoreHint([], 1, true)).to.equal(undefined);
  });
});
