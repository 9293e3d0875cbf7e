// The request pipeline's hooks, declared once. Names and tapable classes are public API;
// test/hooks.test.ts asserts each class against the architecture's table.
import {
  AsyncParallelHook,
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
  SyncWaterfallHook,
} from 'tapable';
import type { Principal, RequestContext } from './api/context.js';
import type { RequestBody, ResponseBody, StreamChunk } from './api/openai-types.js';
import { createError } from './errors.js';
import { Deadlines } from './deadlines.js';
import { hookTimeout, pluginFailure, TAP_GUARD, type TapGuard } from './hook-runner.js';

/** Named stages order taps; config position never does. */
export const STAGE = Object.freeze({ EARLY: -100, DEFAULT: 0, LATE: 100 });

/** What a rateLimit tap returns to deny a request. */
export interface RateLimitDenial {
  /** Seconds until a retry may succeed (sent as Retry-After). */
  retryAfter: number;
  message: string;
  /** Extra headers for the 429 reply (x-ratelimit-*). */
  headers?: Record<string, string>;
}

/** What a callProvider tap answers with. */
export type ProviderReply =
  | { readonly kind: 'body'; readonly body: ResponseBody }
  | { readonly kind: 'stream'; readonly chunks: AsyncIterable<StreamChunk> };

/** Passed to `ready` and `close`. */
export interface LifecycleContext {
  readonly log: import('winston').Logger;
}

/** Argument and result types of every hook: the single source for taps' signatures. */
/**
 * Argument and result types of every hook: the single source for taps' signatures. A request
 * hook's tap may answer directly or with a promise: one that has nothing to wait for (a check
 * in memory, a record queued) should answer directly, which spares the request a promise.
 */
export interface HookSignatures {
  onRequest: (ctx: RequestContext) => MaybePromise<void>;
  authenticate: (ctx: RequestContext) => MaybePromise<Principal | undefined>;
  rateLimit: (ctx: RequestContext) => MaybePromise<RateLimitDenial | undefined>;
  transformRequest: (request: RequestBody, ctx: RequestContext) => MaybePromise<RequestBody>;
  callProvider: (ctx: RequestContext) => MaybePromise<ProviderReply | undefined>;
  transformResponse: (response: ResponseBody, ctx: RequestContext) => MaybePromise<ResponseBody>;
  transformChunk: (chunk: StreamChunk, ctx: RequestContext) => StreamChunk;
  onResponse: (ctx: RequestContext) => MaybePromise<void>;
  onError: (ctx: RequestContext) => MaybePromise<void>;
  ready: (lifecycle: LifecycleContext) => Promise<void>;
  close: (lifecycle: LifecycleContext) => Promise<void>;
}

type MaybePromise<T> = T | Promise<T>;

export type HookName = keyof HookSignatures;
export type HookTapFn<K extends HookName> = HookSignatures[K];

export interface TapOptions {
  /** STAGE.EARLY / DEFAULT / LATE, or any number between. */
  stage?: number;
  /** Shown in timings and errors; defaults to the plugin id. */
  name?: string;
}

export function createHookSet() {
  return {
    onRequest: new AsyncSeriesHook<[RequestContext]>(['ctx']),
    authenticate: new AsyncSeriesBailHook<[RequestContext], Principal | undefined>(['ctx']),
    rateLimit: new AsyncSeriesBailHook<[RequestContext], RateLimitDenial | undefined>(['ctx']),
    transformRequest: new AsyncSeriesWaterfallHook<[RequestBody, RequestContext]>(['request', 'ctx']),
    callProvider: new AsyncSeriesBailHook<[RequestContext], ProviderReply | undefined>(['ctx']),
    transformResponse: new AsyncSeriesWaterfallHook<[ResponseBody, RequestContext]>(['response', 'ctx']),
    transformChunk: new SyncWaterfallHook<[StreamChunk, RequestContext]>(['chunk', 'ctx']),
    onResponse: new AsyncParallelHook<[RequestContext]>(['ctx']),
    onError: new AsyncSeriesHook<[RequestContext]>(['ctx']),
    ready: new AsyncSeriesHook<[LifecycleContext]>(['lifecycle']),
    close: new AsyncSeriesHook<[LifecycleContext]>(['lifecycle']),
  } as const;
}

export type Hooks = ReturnType<typeof createHookSet>;

export const HOOK_NAMES: readonly HookName[] = Object.freeze([
  'onRequest',
  'authenticate',
  'rateLimit',
  'transformRequest',
  'callProvider',
  'transformResponse',
  'transformChunk',
  'onResponse',
  'onError',
  'ready',
  'close',
]);

/** A registered tap as the interceptor sees it. */
interface Tap {
  name: string;
  [TAP_GUARD]?: TapGuard;
  type: 'sync' | 'async' | 'promise';
  fn: (...args: unknown[]) => unknown;
  stage?: number;
}

/** Taps named with this prefix are core's own and are not wrapped by the interceptor. */
export const CORE_TAP_PREFIX = 'gatehouse:';

export interface HookTimeouts {
  /** Per tap call, for request hooks. */
  requestMs: number;
  /** Per tap call, for ready and close. */
  lifecycleMs: number;
}

const DEFAULT_TIMEOUTS: HookTimeouts = { requestMs: 10_000, lifecycleMs: 30_000 };

/**
 * Create the gateway's hooks, once. One interceptor wraps every plugin tap at registration
 * (not per call): it times the tap into ctx.timings.plugins, bounds it with a timeout, and
 * names the plugin in any error it throws.
 */
export function createHooks(timeouts: Partial<HookTimeouts> = {}): Hooks {
  const limits = { ...DEFAULT_TIMEOUTS, ...timeouts };
  // Request hooks run on a listening server (which keeps the process alive): a background timer.
  const requestDeadlines = new Deadlines(limits.requestMs, true);
  const lifecycleDeadlines = new Deadlines(limits.lifecycleMs);
  const hooks = createHookSet();
  for (const name of HOOK_NAMES) {
    const hook = hooks[name] as unknown as { intercept(i: { register(tap: Tap): Tap }): void };
    const lifecycle = name === 'ready' || name === 'close';
    hook.intercept({
      register: (tap) => wrapTap(name, tap, lifecycle ? limits.lifecycleMs : limits.requestMs, lifecycle ? lifecycleDeadlines : requestDeadlines),
    });
  }
  return Object.freeze(hooks) as Hooks;
}

function timingsOf(args: unknown[]): Record<string, number> | undefined {
  // The context is the only argument, or the second one for waterfalls.
  for (const arg of args) {
    const plugins = (arg as { timings?: { plugins?: Record<string, number> } } | null)?.timings?.plugins;
    if (plugins) return plugins;
  }
  return undefined;
}

function wrapTap(hook: HookName, tap: Tap, timeoutMs: number, deadlines: Deadlines): Tap {
  if (tap.name.startsWith(CORE_TAP_PREFIX)) return tap;
  const original = tap.fn;
  const tapName = tap.name;
  // The pipeline's runner (hook-runner.ts) calls `original` itself, with the same guard.
  const guard: TapGuard = { fn: original, hook, name: tapName, timeoutMs, deadlines };
  if (tap.type === 'sync') {
    const fn = (...args: unknown[]) => {
      try {
        return original(...args);
      } catch (error) {
        throw pluginFailure(hook, tapName, error);
      }
    };
    return { ...tap, fn, [TAP_GUARD]: guard };
  }
  if (tap.type !== 'promise') {
    throw createError('GW_ERR_PLUGIN_LOAD', `Plugin "${tapName}" must tap ${hook} with an async function (tapPromise).`);
  }
  // One promise and one deadline entry per call (no async wrapper, no Promise.race, no timer of
  // its own): this runs for every plugin tap of every request.
  const fn = (...args: unknown[]) => {
    const started = performance.now();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const timings = timingsOf(args);
      if (timings) timings[tapName] = (timings[tapName] ?? 0) + (performance.now() - started);
    };
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(original(...args));
    } catch (error) {
      record();
      return Promise.reject(pluginFailure(hook, tapName, error));
    }
    return new Promise((resolve, reject) => {
      const done = deadlines.start(() => {
        record();
        reject(hookTimeout(hook, tapName, timeoutMs));
      });
      result.then(
        (value) => {
          done();
          record();
          resolve(value);
        },
        (error: unknown) => {
          done();
          record();
          reject(pluginFailure(hook, tapName, error));
        },
      );
    });
  };
  return { ...tap, fn, [TAP_GUARD]: guard };
}

/**
 * After `ready`, adding a tap or interceptor throws. Hooks themselves are never frozen with
 * Object.freeze: tapable compiles its call function lazily into the instance.
 */
export function freezeHooks(hooks: Hooks): void {
  for (const name of HOOK_NAMES) {
    const hook = hooks[name] as unknown as Record<string, unknown>;
    for (const method of ['tap', 'tapAsync', 'tapPromise', 'intercept']) {
      hook[method] = () => {
        throw createError('GW_ERR_HOOKS_FROZEN', `Hook ${name} is frozen: taps can only be added during plugin setup, before the gateway is ready.`);
      };
    }
  }
}

/**
 * Whether any tap is registered. tapable's isUsed() also counts interceptors, and every hook
 * carries core's, so it would always say yes.
 */
export function hasTaps(hook: { taps: readonly unknown[] }): boolean {
  return hook.taps.length > 0;
}
