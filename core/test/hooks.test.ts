import { expect } from 'chai';
import { AsyncParallelHook, AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook, SyncWaterfallHook } from 'tapable';
import { createHooks, freezeHooks, HOOK_NAMES, STAGE } from '../src/hooks.js';
import { isGatewayError } from '../src/errors.js';

describe('hooks', () => {
  it('have the tapable classes of the architecture table', () => {
    const hooks = createHooks();
    const expected: Record<string, unknown> = {
      onRequest: AsyncSeriesHook,
      authenticate: AsyncSeriesBailHook,
      rateLimit: AsyncSeriesBailHook,
      transformRequest: AsyncSeriesWaterfallHook,
      callProvider: AsyncSeriesBailHook,
      transformResponse: AsyncSeriesWaterfallHook,
      transformChunk: SyncWaterfallHook,
      onResponse: AsyncParallelHook,
      onError: AsyncSeriesHook,
      ready: AsyncSeriesHook,
      close: AsyncSeriesHook,
    };
    expect([...HOOK_NAMES].sort()).to.deep.equal(Object.keys(expected).sort());
    for (const name of HOOK_NAMES) {
      // tapable's hook "classes" are factories that stamp `constructor` on the hook they make.
      expect((hooks[name] as { constructor: unknown }).constructor, name).to.equal(expected[name]);
    }
  });

  it('take one context argument, plus the value for waterfalls', () => {
    const hooks = createHooks();
    for (const name of HOOK_NAMES) {
      const args = (hooks[name] as unknown as { _args: string[] })._args;
      const waterfall = name.startsWith('transform');
      expect(args.length, name).to.equal(waterfall ? 2 : 1);
    }
  });

  it('order taps by stage, not by registration', async () => {
    const hooks = createHooks();
    const order: string[] = [];
    hooks.onRequest.tapPromise({ name: 'late', stage: STAGE.LATE }, async () => void order.push('late'));
    hooks.onRequest.tapPromise({ name: 'early', stage: STAGE.EARLY }, async () => void order.push('early'));
    hooks.onRequest.tapPromise({ name: 'default' }, async () => void order.push('default'));
    await hooks.onRequest.promise({ timings: { plugins: {} } } as never);
    expect(order).to.deep.equal(['early', 'default', 'late']);
  });

  it('throw a coded error when tapped after being frozen', () => {
    const hooks = createHooks();
    freezeHooks(hooks);
    for (const name of HOOK_NAMES) {
      const hook = hooks[name] as unknown as { tap: (n: string, fn: () => void) => void; intercept: (i: object) => void };
      expect(() => hook.tap('late-plugin', () => undefined), name).to.throw(/frozen/).with.property('code', 'GW_ERR_HOOKS_FROZEN');
      expect(() => hook.intercept({})).to.throw(/frozen/);
    }
  });

  it('still run after being frozen', async () => {
    const hooks = createHooks();
    hooks.transformChunk.tap('upper', (chunk) => ({ ...chunk, id: 'x' }));
    freezeHooks(hooks);
    const out = hooks.transformChunk.call({ id: 'a' } as never, {} as never);
    expect(out.id).to.equal('x');
  });

  it('name the plugin in errors and time each tap', async () => {
    const hooks = createHooks();
    hooks.onRequest.tapPromise('broken-plugin', async () => {
      throw new Error('boom');
    });
    const ctx = { timings: { plugins: {} as Record<string, number> } };
    const error = await hooks.onRequest.promise(ctx as never).catch((e: unknown) => e);
    expect(isGatewayError(error)).to.equal(true);
    expect((error as Error).message).to.contain('broken-plugin').and.contain('onRequest');
    expect(ctx.timings.plugins['broken-plugin']).to.be.a('number');
  });

  it('bound a tap with the per-hook timeout', async () => {
    const hooks = createHooks({ requestMs: 30 });
    hooks.rateLimit.tapPromise('slow-limiter', () => new Promise(() => undefined));
    const error = await hooks.rateLimit.promise({ timings: { plugins: {} } } as never).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'GW_ERR_HOOK_TIMEOUT');
    expect((error as Error).message).to.contain('slow-limiter');
  });

  it('let a plugin throw a GatewayError through unchanged (a 401 stays a 401)', async () => {
    const hooks = createHooks();
    const { createError } = await import('../src/errors.js');
    hooks.authenticate.tapPromise('auth', async () => {
      throw createError('GW_ERR_FORBIDDEN', 'not for you');
    });
    const error = await hooks.authenticate.promise({ timings: { plugins: {} } } as never).catch((e: unknown) => e);
    expect(error).to.have.property('status', 403);
  });
});
