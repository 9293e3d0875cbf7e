import { expect } from 'chai';
import { Cancellation, cancelSourceOf, signalSource } from '../src/cancellation.js';
import { coreCallContext } from '../src/call-context.js';

describe('cancellation', () => {
  it('calls its listeners once on abort, with the reason, and a signal made later is aborted too', () => {
    const cancel = new Cancellation();
    const heard: unknown[] = [];
    cancel.onAbort(() => heard.push(['first', cancel.reason]));
    const stop = cancel.onAbort(() => heard.push('removed'));
    cancel.onAbort(() => heard.push('third'));
    stop();
    const reason = new Error('client left');
    cancel.abort(reason);
    cancel.abort(new Error('again'));
    expect(heard).to.deep.equal([['first', reason], 'third']);
    expect(cancel.aborted).to.equal(true);
    expect(cancel.signal.aborted).to.equal(true);
    expect(cancel.signal.reason).to.equal(reason);
    expect(cancel.onAbort(() => heard.push('late'))).to.be.a('function');
    expect(heard).to.have.length(2);
  });

  it('aborts a signal read before the abort, and gives an AbortError without a reason', () => {
    const cancel = new Cancellation();
    const signal = cancel.signal;
    let fired = 0;
    signal.addEventListener('abort', () => fired++);
    cancel.abort();
    expect(fired).to.equal(1);
    expect((signal.reason as Error).name).to.equal('AbortError');
  });

  it("is found on core's own call object but not on a copy that brings its own signal", () => {
    const cancel = new Cancellation();
    const ctx = { id: 'r1', log: 'the-log' } as never;
    const call = coreCallContext(ctx, cancel, { timeoutMs: 1000 });
    expect(cancelSourceOf(call)).to.equal(cancel);
    expect(call.log).to.equal('the-log');

    const other = new AbortController();
    const copy = { ...call, signal: other.signal };
    expect(copy.log, 'a copy keeps the log, the id and the limits').to.equal('the-log');
    expect(copy.requestId).to.equal('r1');
    expect(copy.timeoutMs).to.equal(1000);
    const source = cancelSourceOf(copy);
    expect(source).to.not.equal(cancel);
    other.abort(new Error('sibling failed'));
    expect(source.aborted).to.equal(true);
    expect(cancel.aborted, 'the request itself goes on').to.equal(false);

    // A plain copy reads the getter: its signal is the request's, aborted with it.
    const plain = { ...call };
    cancel.abort(new Error('gone'));
    expect(cancelSourceOf(plain).aborted).to.equal(true);
  });

  it('wraps a plain AbortSignal with the same listener contract', () => {
    const controller = new AbortController();
    const source = signalSource(controller.signal);
    let heard = 0;
    const stop = source.onAbort(() => heard++);
    source.onAbort(() => heard++);
    stop();
    controller.abort('why');
    expect(heard).to.equal(1);
    expect(source.reason).to.equal('why');
  });
});
