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

type MaybePromise<T> = T | Promise<T>;

function record(ctx: RequestContext, guard: TapGuard, started: number): void {
  const plugins = ctx.timings.plugins;
  plugins[guard.name] = (plugins[guard.name] ?? 0) + (performance.now() - started);
}

/**
 * series: every tap with (ctx), no result. bail: the first tap that answers something other
 * than undefined wins. waterfall: each tap gets (value, ctx) and returns the next value (as
 * tapable, undefined keeps the value). Taps that answer directly run back to back with no
 * promise at all; the first promise hands the rest of the call to `resume`. Never throws: a
 * failure is a rejected promise.
 */
function run(taps: readonly StoredTap[], mode: Mode, ctx: RequestContext, value: unknown): MaybePromise<unknown> {
  let current = value;
  for (let index = 0; index < taps.length; index++) {
    const tap = taps[index]!;
    const guard = tap[TAP_GUARD];
    const started = guard ? performance.now() : 0;
    let result: unknown;
    try {
      result = (guard ?? tap).fn(mode === 'waterfall' ? current : ctx, ctx);
    } catch (error) {
      if (!guard) return Promise.reject(error);
      record(ctx, guard, started);
      return Promise.reject(pluginFailure(guard.hook, guard.name, error));
    }
    if (isThenable(result)) {
      // Core's own last tap (the upstream call): its promise is the answer, unwrapped.
      if (!guard && index === taps.length - 1 && mode !== 'waterfall') return result as Promise<unknown>;
      return resume(taps, mode, ctx, current, index, result, guard, started);
    }
    if (guard) record(ctx, guard, started);
    if (mode === 'waterfall') {
      if (result !== undefined) current = result;
    } else if (mode === 'bail' && result !== undefined) return result;
  }
  return mode === 'waterfall' ? current : undefined;
}

/** The rest of a call from the tap at `index`, whose answer `pending` is still to come. */
function resume(
  taps: readonly StoredTap[],
  mode: Mode,
  ctx: RequestContext,
  value: unknown,
  index: number,
  pending: PromiseLike<unknown>,
  pendingGuard: TapGuard | undefined,
  pendingStart: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let current = value;
    let guard = pendingGuard;
    let started = pendingStart;
    let release: (() => void) | undefined;
    let finished = false;

    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      release?.();
      if (!guard) return reject(error);
      record(ctx, guard, started);
      reject(pluginFailure(guard.hook, guard.name, error));
    };
    const expire = () => {
      if (finished) return;
      finished = true;
      record(ctx, guard!, started);
      reject(hookTimeout(guard!.hook, guard!.name, guard!.timeoutMs));
    };
    // A tap's answer: true when it ends the call (a bail hook answered).
    const take = (result: unknown): boolean => {
      if (mode === 'waterfall') {
        if (result !== undefined) current = result;
      } else if (mode === 'bail' && result !== undefined) {
        finished = true;
        resolve(result);
        return true;
      }
      return false;
    };
    const settled = (result: unknown) => {
      if (finished) return;
      release?.();
      release = undefined;
      if (guard) record(ctx, guard, started);
      if (!take(result)) next();
    };
    const wait = (result: PromiseLike<unknown>) => {
      if (guard) release = guard.deadlines.start(expire);
      result.then(settled, fail);
    };
    const next = (): void => {
      while (++index < taps.length) {
        const tap = taps[index]!;
        guard = tap[TAP_GUARD];
        started = guard ? performance.now() : 0;
        let result: unknown;
        try {
          result = (guard ?? tap).fn(mode === 'waterfall' ? current : ctx, ctx);
        } catch (error) {
          return fail(error);
        }
        if (isThenable(result)) return wait(result);
        if (guard) record(ctx, guard, started);
        if (take(result)) return;
      }
      finished = true;
      resolve(mode === 'waterfall' ? current : undefined);
    };
    wait(pending);
  });
}

type TapsOf = { readonly taps: readonly unknown[] };

export function runSeries(hook: TapsOf, ctx: RequestContext): MaybePromise<void> {
  return run(hook.taps as readonly StoredTap[], 'series', ctx, undefined) as MaybePromise<void>;
}

export function runBail<T>(hook: TapsOf, ctx: RequestContext): MaybePromise<T | undefined> {
  return run(hook.taps as readonly StoredTap[], 'bail', ctx, undefined) as MaybePromise<T | undefined>;
}

export function runWaterfall<T>(hook: TapsOf, value: T, ctx: RequestContext): MaybePromise<T> {
  return run(hook.taps as readonly StoredTap[], 'waterfall', ctx, value) as MaybePromise<T>;
}

/**
 * Every tap at once (onResponse): done when all are, failed on the first failure (as
 * tapable's AsyncParallelHook); each tap timed and bounded on its own. Undefined when every
 * tap answered directly; never throws.
 */
export function runParallel(hook: TapsOf, ctx: RequestContext): Promise<void> | undefined {
  const taps = hook.taps as readonly StoredTap[];
  let waiting: Promise<void>[] | undefined;
  for (const tap of taps) {
    const guard = tap[TAP_GUARD];
    const started = guard ? performance.now() : 0;
    let result: unknown;
    try {
      result = (guard ?? tap).fn(ctx, ctx);
    } catch (error) {
      if (!guard) return Promise.reject(error);
      record(ctx, guard, started);
      return Promise.reject(pluginFailure(guard.hook, guard.name, error));
    }
    if (isThenable(result)) (waiting ??= []).push(guard ? bounded(result, guard, ctx, started) : Promise.resolve(result).then(() => undefined));
    else if (guard) record(ctx, guard, started);
  }
  return waiting === undefined ? undefined : waiting.length === 1 ? waiting[0] : Promise.all(waiting).then(() => undefined);
}

/** A plugin tap's pending answer, timed, bounded by its deadline, its failure named. */
function bounded(result: PromiseLike<unknown>, guard: TapGuard, ctx: RequestContext, started: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let over = false;
    const release = guard.deadlines.start(() => {
      if (over) return;
      over = true;
      record(ctx, guard, started);
      reject(hookTimeout(guard.hook, guard.name, guard.timeoutMs));
    });
    result.then(
      () => {
        if (over) return;
        over = true;
        release();
        record(ctx, guard, started);
        resolve();
      },
      (error: unknown) => {
        if (over) return;
        over = true;
        release();
        record(ctx, guard, started);
        reject(pluginFailure(guard.hook, guard.name, error));
      },
    );
  });
}
