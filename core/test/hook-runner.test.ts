// The pipeline's hook runner against tapable's own `promise()` on the same hooks: same order,
// same results, same errors, each plugin tap timed and bounded.
import { expect } from 'chai';
import { createHooks, STAGE, CORE_TAP_PREFIX } from '../src/hooks.js';
import { runBail, runParallel, runSeries, runWaterfall } from '../src/hook-runner.js';
import { createError } from '../src/errors.js';

const context = () => ({ timings: { plugins: {} as Record<string, number> } }) as never as { timings: { plugins: Record<string, number> } };

describe('hook runner', () => {
  it('runs series taps in stage order, each once, and times every plugin tap', async () => {
    const hooks = createHooks();
    const seen: string[] = [];
    hooks.onRequest.tapPromise({ name: 'late', stage: STAGE.LATE }, async () => void seen.push('late'));
    hooks.onRequest.tapPromise({ name: 'early', stage: STAGE.EARLY }, async () => void seen.push('early'));
    hooks.onRequest.tap('sync-one', () => void seen.push('sync'));
    const ctx = context();
    await runSeries(hooks.onRequest, ctx as never);
    expect(seen).to.deep.equal(['early', 'sync', 'late']);
    seen.length = 0;
    await hooks.onRequest.promise(context() as never);
    expect(seen, 'tapable runs the same order').to.deep.equal(['early', 'sync', 'late']);
    expect(Object.keys(ctx.timings.plugins).sort()).to.deep.equal(['early', 'late', 'sync-one']);
  });

  it('bails on the first answer other than undefined, as tapable does', async () => {
    const hooks = createHooks();
    const called: string[] = [];
    hooks.authenticate.tapPromise('none', async () => void called.push('none'));
    hooks.authenticate.tapPromise('answers', async () => (called.push('answers'), { id: 'k1' }));
    hooks.authenticate.tapPromise('never', async () => (called.push('never'), { id: 'k2' }));
    expect(await runBail(hooks.authenticate, context() as never)).to.deep.equal({ id: 'k1' });
    expect(called).to.deep.equal(['none', 'answers']);
    expect(await hooks.authenticate.promise(context() as never)).to.deep.equal({ id: 'k1' });

    const empty = createHooks();
    empty.rateLimit.tapPromise('allows', async () => undefined);
    expect(await runBail(empty.rateLimit, context() as never)).to.equal(undefined);
  });

  it('passes a waterfall value on, keeping it where a tap returns undefined', async () => {
    const hooks = createHooks();
    hooks.transformRequest.tapPromise('add-a', async (request) => ({ ...request, a: 1 }) as never);
    hooks.transformRequest.tapPromise('keeps', async () => undefined as never);
    hooks.transformRequest.tapPromise('add-b', async (request) => ({ ...request, b: 2 }) as never);
    const ctx = context();
    const ours = await runWaterfall(hooks.transformRequest, { model: 'm' } as never, ctx as never);
    const theirs = await hooks.transformRequest.promise({ model: 'm' } as never, context() as never);
    expect(ours).to.deep.equal({ model: 'm', a: 1, b: 2 });
    expect(theirs).to.deep.equal(ours);
  });

  it('names the plugin in a failure, lets a GatewayError through, and records the failed tap time', async () => {
    const hooks = createHooks();
    hooks.onRequest.tapPromise('broken-plugin', async () => {
      throw new Error('boom');
    });
    const ctx = context();
    const error = (await Promise.resolve(runSeries(hooks.onRequest, ctx as never)).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).to.equal('GW_ERR_PLUGIN_FAILED');
    expect(error.message).to.contain('broken-plugin').and.contain('onRequest');
    expect(ctx.timings.plugins['broken-plugin']).to.be.a('number');

    const sync = createHooks();
    sync.onRequest.tap('throws-sync', () => {
      throw new Error('sync boom');
    });
    const syncError = (await Promise.resolve(runSeries(sync.onRequest, context() as never)).catch((e: unknown) => e)) as Error;
    expect(syncError.message).to.contain('throws-sync');

    const auth = createHooks();
    auth.authenticate.tapPromise('auth', async () => {
      throw createError('GW_ERR_FORBIDDEN', 'not for you');
    });
    expect(await Promise.resolve(runBail(auth.authenticate, context() as never)).catch((e: unknown) => e)).to.have.property('status', 403);
  });

  it('bounds each plugin tap with the hook timeout; a late answer changes nothing', async () => {
    const hooks = createHooks({ requestMs: 30 });
    let answer: (value: { retryAfter: number; message: string } | undefined) => void = () => undefined;
    hooks.rateLimit.tapPromise('slow-limiter', () => new Promise((resolve) => (answer = resolve)));
    const ctx = context();
    const started = performance.now();
    const error = (await Promise.resolve(runBail(hooks.rateLimit, ctx as never)).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).to.equal('GW_ERR_HOOK_TIMEOUT');
    expect(error.message).to.contain('slow-limiter');
    expect(performance.now() - started).to.be.at.least(25);
    expect(ctx.timings.plugins['slow-limiter']).to.be.at.least(25);
    answer({ retryAfter: 1, message: 'late' }); // must not throw or settle twice
    await new Promise((resolve) => setImmediate(resolve));
  });

  it("does not bound or time core's own taps (the upstream call may take minutes)", async () => {
    const hooks = createHooks({ requestMs: 20 });
    hooks.callProvider.tapPromise(`${CORE_TAP_PREFIX}provider`, () => new Promise((resolve) => setTimeout(() => resolve({ kind: 'body', body: {} } as never), 60)));
    const ctx = context();
    expect(await runBail(hooks.callProvider, ctx as never)).to.deep.equal({ kind: 'body', body: {} });
    expect(ctx.timings.plugins).to.deep.equal({});
  });

  it('runs parallel taps together and settles when all are done, or on the first failure', async () => {
    const hooks = createHooks({ requestMs: 200 });
    const done: string[] = [];
    hooks.onResponse.tapPromise('slow', () => new Promise<void>((resolve) => setTimeout(() => (done.push('slow'), resolve()), 20)));
    hooks.onResponse.tapPromise('fast', async () => void done.push('fast'));
    hooks.onResponse.tap('sync', () => void done.push('sync'));
    const ctx = context();
    await runParallel(hooks.onResponse, ctx as never);
    // An async tap's body runs when called: all three start in tap order; the slow one ends last.
    expect(done).to.deep.equal(['fast', 'sync', 'slow']);
    expect(Object.keys(ctx.timings.plugins).sort()).to.deep.equal(['fast', 'slow', 'sync']);

    const failing = createHooks({ requestMs: 30 });
    failing.onResponse.tapPromise('ok', async () => undefined);
    failing.onResponse.tapPromise('hangs', () => new Promise(() => undefined));
    const error = (await Promise.resolve(runParallel(failing.onResponse, context() as never)).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).to.equal('GW_ERR_HOOK_TIMEOUT');
    expect(error.message).to.contain('hangs');

    const broken = createHooks();
    broken.onResponse.tapPromise('bad', async () => {
      throw new Error('nope');
    });
    expect(await Promise.resolve(runParallel(broken.onResponse, context() as never)).catch((e: unknown) => e)).to.have.property('code', 'GW_ERR_PLUGIN_FAILED');
    expect(runParallel(createHooks().onResponse, context() as never)).to.equal(undefined);
  });

  it('answers without a promise when every tap answers directly, and still times and names them', async () => {
    const hooks = createHooks();
    hooks.authenticate.tap('memory-keys', () => ({ id: 'k1' }));
    hooks.onResponse.tap('counter', () => undefined);
    hooks.transformRequest.tap('tag', (request) => ({ ...request, tagged: true }) as never);
    const ctx = context();
    expect(runBail(hooks.authenticate, ctx as never)).to.deep.equal({ id: 'k1' });
    expect(runParallel(hooks.onResponse, ctx as never)).to.equal(undefined);
    expect(runWaterfall(hooks.transformRequest, { model: 'm' } as never, ctx as never)).to.deep.equal({ model: 'm', tagged: true });
    expect(Object.keys(ctx.timings.plugins).sort()).to.deep.equal(['counter', 'memory-keys', 'tag']);

    // A direct answer after a promise, and a failure thrown directly: a rejected promise, never a throw.
    const mixed = createHooks();
    mixed.rateLimit.tapPromise('async-first', async () => undefined);
    mixed.rateLimit.tap('direct-denial', () => ({ retryAfter: 2, message: 'no' }));
    expect(await runBail(mixed.rateLimit, context() as never)).to.deep.equal({ retryAfter: 2, message: 'no' });
    const throwing = createHooks();
    throwing.onResponse.tap('throws', () => {
      throw new Error('direct');
    });
    const outcome = runParallel(throwing.onResponse, context() as never);
    expect(outcome).to.be.instanceOf(Promise);
    expect(await outcome!.catch((e: unknown) => e)).to.have.property('code', 'GW_ERR_PLUGIN_FAILED');
  });
});
