// Calling the provider with the endpoint's resilience policy: breaker check, rate limit per
// target, retries with backoff, fallbacks in order, a first-byte deadline and an idle limit
// between stream chunks. A stream is committed once its first chunk is here: failures after
// that end the stream with an error event, never a splice of another target's answer.
import type { Hooks, ProviderReply } from '../hooks.js';
import type { Context } from '../context.js';
import type { StreamChunk } from '../api/openai-types.js';
import type { Target } from '../api/context.js';
import { createError, isGatewayError, type GatewayError } from '../errors.js';
import { formatDuration } from '../upstream/http.js';
import type { EndpointPolicy } from './policy.js';
import type { CircuitBreakers } from './breaker.js';
import { isRetryable, retryDelayMs } from './retryable.js';
import { signalSource, type CancelSource } from '../cancellation.js';
import { runBail } from '../hook-runner.js';

export interface AttemptDeps {
  readonly hooks: Hooks;
  readonly breakers: CircuitBreakers;
  /** Upstream calls one request may make, all targets together (server.max_upstream_attempts). */
  readonly maxUpstreamAttempts: number;
  /** Jitter source (tests pin it). */
  readonly random?: () => number;
}

/** What the attempt in progress hands to core's callProvider tap. */
export interface Attempt {
  /** The request's own cancellation, or the attempt's when the policy can cut it short. */
  readonly cancel: CancelSource;
  readonly policy: EndpointPolicy;
}

export const ANSWERED_BY_HEADER = 'x-gatehouse-endpoint';
export const ATTEMPTS_HEADER = 'x-gatehouse-attempts';

/** One try at a target: core's callProvider by default; a native route brings its own. */
export interface AttemptCall<R> {
  attempt(hooks: Hooks, ctx: Context, policy: EndpointPolicy): Promise<R>;
  /** Targets this call can use at all (a native route: endpoints whose provider has its handler). */
  eligible?(target: Target): boolean;
}

const PROVIDER_CALL: AttemptCall<ProviderReply> = { attempt: attemptOnce };

/** `checkLimit` throws the rate-limit denial for ctx.target, if any. */
export function callWithResilience<D extends AttemptDeps>(deps: D, ctx: Context, checkLimit: (deps: D, ctx: Context) => Promise<void> | undefined): Promise<ProviderReply>;
export function callWithResilience<D extends AttemptDeps, R>(
  deps: D,
  ctx: Context,
  checkLimit: (deps: D, ctx: Context) => Promise<void> | undefined,
  call: AttemptCall<R>,
): Promise<R>;
export async function callWithResilience<D extends AttemptDeps, R>(
  deps: D,
  ctx: Context,
  checkLimit: (deps: D, ctx: Context) => Promise<void> | undefined,
  call: AttemptCall<R> = PROVIDER_CALL as unknown as AttemptCall<R>,
): Promise<R> {
  const full = ctx.snapshot.chainFor(ctx.requested, ctx.target);
  const chain = call.eligible ? full.filter((target, i) => i === 0 || call.eligible!(target)) : full;
  let lastError: unknown;
  let used = 0;
  for (let i = 0; i < chain.length; i++) {
    const target = chain[i]!;
    ctx.target = target;
    const policy = ctx.snapshot.policyFor(target);
    const verdict = policy.breaker ? deps.breakers.check(target.endpoint) : 'closed';
    if (verdict === 'open') {
      lastError = breakerOpen(deps.breakers, target);
      continue;
    }
    try {
      // Synchronous (a throw, or nothing) when every rateLimit tap answered at once.
      const limiting = checkLimit(deps, ctx);
      if (limiting) await limiting;
    } catch (error) {
      if (verdict === 'probe') deps.breakers.release(target.endpoint);
      // A fallback is checked against its own limit; a denied target passes the request on.
      if (!isRetryable(error)) throw error;
      lastError = error;
      continue;
    }
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (used >= deps.maxUpstreamAttempts) throw lastError;
      used++;
      try {
        const reply = await call.attempt(deps.hooks, ctx, policy);
        if (policy.breaker) deps.breakers.success(target.endpoint);
        ctx.responseHeaders[ANSWERED_BY_HEADER] = target.endpoint;
        if (used > 1) ctx.responseHeaders[ATTEMPTS_HEADER] = String(used);
        return reply;
      } catch (error) {
        if (!isRetryable(error) || ctx.cancellation.aborted) {
          // The upstream answered (a 4xx): it is alive. Anything else says nothing about it.
          if (policy.breaker) {
            if (isGatewayError(error) && error.code === 'GW_ERR_UPSTREAM_ERROR') deps.breakers.success(target.endpoint);
            else deps.breakers.release(target.endpoint);
          }
          throw error;
        }
        lastError = error;
        const opened = policy.breaker ? deps.breakers.failure(target.endpoint, policy.breaker) : false;
        const next = attempt < policy.attempts && !opened ? retryDelayMs(policy, attempt, error, deps.random) : undefined;
        ctx.log.warn('upstream attempt failed', {
          endpoint: target.endpoint,
          attempt: used,
          code: error.code,
          status: error.status,
          ...(opened ? { circuit: 'opened' } : {}),
          then: next !== undefined ? `retry in ${Math.round(next)} ms` : i + 1 < chain.length ? `fall back to ${chain[i + 1]!.endpoint}` : 'give up',
        });
        if (next === undefined) break;
        await sleep(next, ctx.cancellation);
      }
    }
  }
  throw lastError ?? createError('GW_ERR_INTERNAL', 'No target to call.');
}

function breakerOpen(breakers: CircuitBreakers, target: Target): GatewayError {
  const seconds = breakers.retryAfterSeconds(target.endpoint);
  return createError('GW_ERR_UPSTREAM_UNAVAILABLE', `Endpoint "${target.endpoint}" is failing and is skipped for ${seconds} s (circuit breaker open).`, {
    retryAfter: seconds,
  });
}

/**
 * One call. Without first-byte or idle limits it runs on the request's own signal (nothing
 * extra per request); with them it gets its own AbortController so a stalled upstream call is
 * cancelled while the request goes on to a retry or a fallback.
 */
async function attemptOnce(hooks: Hooks, ctx: Context, policy: EndpointPolicy): Promise<ProviderReply> {
  if (policy.firstByteMs === undefined && policy.idleMs === undefined) {
    ctx.attempt = { cancel: ctx.cancellation, policy };
    // `return await`: an async function that returns a promise resolves two microtask turns later.
    return await call(hooks, ctx);
  }
  const controller = new AbortController();
  const release = ctx.cancellation.onAbort(() => controller.abort(ctx.cancellation.reason));
  ctx.attempt = { cancel: signalSource(controller.signal), policy };
  const deadline = policy.firstByteMs === undefined
    ? undefined
    : new Deadline(policy.firstByteMs, controller, () => createError('GW_ERR_UPSTREAM_TIMEOUT', `${ctx.target.endpoint}: no answer within ${formatDuration(policy.firstByteMs!)} (timeouts.first_byte_seconds).`));
  try {
    const reply = await (deadline ? deadline.race(call(hooks, ctx)) : call(hooks, ctx));
    if (reply.kind === 'body') {
      deadline?.clear();
      release();
      return reply;
    }
    const iterator = reply.chunks[Symbol.asyncIterator]();
    const first = await (deadline ? deadline.race(iterator.next()) : iterator.next());
    deadline?.clear();
    return { kind: 'stream', chunks: committed(first, iterator, policy, ctx, controller, release) };
  } catch (error) {
    deadline?.clear();
    release();
    throw error;
  }
}

async function call(hooks: Hooks, ctx: Context): Promise<ProviderReply> {
  const reply = await runBail<ProviderReply>(hooks.callProvider, ctx);
  if (!reply) throw createError('GW_ERR_INTERNAL', 'No provider answered the request.');
  if (reply.kind === 'stream' && !ctx.stream) throw createError('GW_ERR_INTERNAL', 'A provider answered a non-streaming request with a stream.');
  return reply;
}

/** The stream after its first chunk, with the idle limit between chunks. */
async function* committed(
  first: IteratorResult<StreamChunk>,
  iterator: AsyncIterator<StreamChunk>,
  policy: EndpointPolicy,
  ctx: Context,
  controller: AbortController,
  release: () => void,
): AsyncGenerator<StreamChunk> {
  const idle = policy.idleMs === undefined
    ? undefined
    : new IdleWatch(policy.idleMs, controller, () => createError('GW_ERR_UPSTREAM_TIMEOUT', `${ctx.target.endpoint}: the stream stalled, nothing for ${formatDuration(policy.idleMs!)} (timeouts.idle_seconds).`));
  let done = first.done === true;
  try {
    if (!done) yield first.value;
    while (!done) {
      const step = await (idle ? idle.race(iterator.next()) : iterator.next());
      done = step.done === true;
      if (!done) yield step.value;
    }
  } finally {
    idle?.stop();
    release();
    if (!done) await iterator.return?.(undefined);
  }
}

/** Rejects (and aborts the attempt) when `ms` pass before clear(). */
class Deadline {
  private readonly timer: NodeJS.Timeout;
  private readonly expired: Promise<never>;

  constructor(ms: number, controller: AbortController, error: () => GatewayError) {
    let reject!: (e: unknown) => void;
    this.expired = new Promise<never>((_, r) => (reject = r));
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => {
      const e = error();
      controller.abort(e);
      reject(e);
    }, ms);
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/**
 * The idle limit with one timer per stream: refreshed when a chunk is awaited, ignored when it
 * fires while the client (not the upstream) is the slow side.
 */
class IdleWatch {
  private waiting = false;
  private readonly timer: NodeJS.Timeout;
  private readonly stalled: Promise<never>;

  constructor(ms: number, controller: AbortController, error: () => GatewayError) {
    let reject!: (e: unknown) => void;
    this.stalled = new Promise<never>((_, r) => (reject = r));
    this.stalled.catch(() => undefined);
    this.timer = setTimeout(() => {
      if (!this.waiting) return;
      const e = error();
      controller.abort(e);
      reject(e);
    }, ms);
  }

  async race<T>(work: Promise<T>): Promise<T> {
    this.waiting = true;
    this.timer.refresh();
    try {
      return await Promise.race([work, this.stalled]);
    } finally {
      this.waiting = false;
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

function sleep(ms: number, cancel: CancelSource): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.aborted) return reject(cancel.reason as Error);
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    const stop = cancel.onAbort(() => {
      clearTimeout(timer);
      reject(cancel.reason as Error);
    });
  });
}
