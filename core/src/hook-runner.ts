// How the pipeline runs its request hooks. The hooks stay tapable's (plugins tap them, and
// `hook.promise()` still works), but the pipeline walks their taps itself: tapable's generated
// code adds a promise and closures per call, and the interceptor's wrapper another promise, a
// deadline and timing closures per tap. Here one promise carries the whole call, each tap is
// timed into ctx.timings.plugins and bounded by its deadline, and a tap that answers without a
// promise goes on at once. Same order, same semantics, same errors as the wrapped taps.
import type { RequestContext } from './api/context.js';
import { createError, isGatewayError } from './errors.js';
import type { Deadlines } from './deadlines.js';
import type { HookName } from './hooks.js';

/** What the interceptor keeps on a plugin's tap so the runner can call it unwrapped. */
export interface TapGuard {
  readonly fn: (...args: unknown[]) => unknown;
  readonly hook: HookName;
  readonly name: string;
  readonly timeoutMs: number;
  readonly deadlines: Deadlines;
}

export const TAP_GUARD: unique symbol = Symbol('gatehouse.tapGuard');

/** A tap as tapable stores it; core's own taps carry no guard. */
interface StoredTap {
  readonly fn: (...args: unknown[]) => unknown;
  readonly [TAP_GUARD]?: TapGuard;
}

type Mode = 'series' | 'bail' | 'waterfall';

export function pluginFailure(hook: HookName, tapName: string, error: unknown): Error {
  if (isGatewayError(error)) return error;
  return createError('GW_ERR_PLUGIN_FAILED', `Plugin "${tapName}" failed in hook ${hook}.`, { cause: error });
}

export function hookTimeout(hook: HookName, tapName: string, timeoutMs: number): Error {
  return createError('GW_ERR_HOOK_TIMEOUT', `Plugin "${tapName}" took longer than ${timeoutMs} ms in hook ${hook}.`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * series: every tap with (ctx), no result. bail: the first tap that answers something other
 * than undefined wins. waterfall: each tap gets (value, ctx) and returns the next value.
 */
function run(taps: readonly StoredTap[], mode: Mode, ctx: RequestContext, value: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const plugins = ctx.timings.plugins;
    let index = 0;
    let current = value;
    let guard: TapGuard | undefined;
    let started = 0;
    let release: (() => void) | undefined;
    let finished = false;

    const stopTap = () => {
      release?.();
      release = undefined;
      if (guard) plugins[guard.name] = (plugins[guard.name] ?? 0) + (performance.now() - started);
    };
    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      const failed = guard;
      stopTap();
      reject(failed ? pluginFailure(failed.hook, failed.name, error) : error);
    };
    const expire = () => {
      if (finished) return;
      finished = true;
      release = undefined; // the deadline is already gone
      const failed = guard!;
      plugins[failed.name] = (plugins[failed.name] ?? 0) + (performance.now() - started);
      reject(hookTimeout(failed.hook, failed.name, failed.timeoutMs));
    };
    // A tap's answer: true when the call is over (a bail answered).
    const take = (result: unknown): boolean => {
      // As tapable: a waterfall tap that returns undefined passes the value on unchanged.
      if (mode === 'waterfall') {
        if (result !== undefined) current = result;
      }
      else if (mode === 'bail' && result !== undefined) {
        finished = true;
        resolve(result);
        return true;
      }
      return false;
    };
    const settled = (result: unknown) => {
      if (finished) return;
      stopTap();
      if (!take(result)) step();
    };
    const step = (): void => {
      while (index < taps.length) {
        const tap = taps[index++]!;
        guard = tap[TAP_GUARD];
        started = guard ? performance.now() : 0;
        let result: unknown;
        try {
          result = guard ? guard.fn(mode === 'waterfall' ? current : ctx, ctx) : tap.fn(mode === 'waterfall' ? current : ctx, ctx);
        } catch (error) {
          fail(error);
          return;
        }
        if (isThenable(result)) {
          if (guard) release = guard.deadlines.start(expire);
          result.then(settled, fail);
          return;
        }
        stopTap();
        if (take(result)) return;
      }
      finished = true;
      resolve(mode === 'waterfall' ? current : undefined);
    };
    step();
  });
}

type TapsOf = { readonly taps: readonly unknown[] };

export function runSeries(hook: TapsOf, ctx: RequestContext): Promise<void> {
  return run(hook.taps as readonly StoredTap[], 'series', ctx, undefined) as Promise<void>;
}

export function runBail<T>(hook: TapsOf, ctx: RequestContext): Promise<T | undefined> {
  return run(hook.taps as readonly StoredTap[], 'bail', ctx, undefined) as Promise<T | undefined>;
}

export function runWaterfall<T>(hook: TapsOf, value: T, ctx: RequestContext): Promise<T> {
  return run(hook.taps as readonly StoredTap[], 'waterfall', ctx, value) as Promise<T>;
}

/**
 * Every tap at once (onResponse): resolves when all are done, rejects with the first failure
 * (as tapable's AsyncParallelHook); each tap is timed and bounded on its own.
 */
export function runParallel(hook: TapsOf, ctx: RequestContext): Promise<void> {
  const taps = hook.taps as readonly StoredTap[];
  return new Promise((resolve, reject) => {
    let pending = taps.length;
    let finished = false;
    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      reject(error);
    };
    const one = () => {
      if (--pending === 0 && !finished) {
        finished = true;
        resolve();
      }
    };
    if (pending === 0) return resolve();
    for (const tap of taps) {
      if (finished) return;
      const guard = tap[TAP_GUARD];
      if (!guard) {
        let result: unknown;
        try {
          result = tap.fn(ctx);
        } catch (error) {
          return fail(error);
        }
        if (isThenable(result)) result.then(one, fail);
        else one();
        continue;
      }
      const started = performance.now();
      let result: unknown;
      try {
        result = guard.fn(ctx);
      } catch (error) {
        record(ctx, guard, started);
        return fail(pluginFailure(guard.hook, guard.name, error));
      }
      if (!isThenable(result)) {
        record(ctx, guard, started);
        one();
        continue;
      }
      let over = false;
      const release = guard.deadlines.start(() => {
        if (over) return;
        over = true;
        record(ctx, guard, started);
        fail(hookTimeout(guard.hook, guard.name, guard.timeoutMs));
      });
      result.then(
        () => {
          if (over) return;
          over = true;
          release();
          record(ctx, guard, started);
          one();
        },
        (error: unknown) => {
          if (over) return;
          over = true;
          release();
          record(ctx, guard, started);
          fail(pluginFailure(guard.hook, guard.name, error));
        },
      );
    }
  });
}

function record(ctx: RequestContext, guard: TapGuard, started: number): void {
  const plugins = ctx.timings.plugins;
  plugins[guard.name] = (plugins[guard.name] ?? 0) + (performance.now() - started);
}
