// One request's limits: the endpoint's MLflow `limit` (checked for every target tried, a
// fallback against its own), and the caller's key limits (requests, and tokens reserved up
// front), counted once per request. Every check is one atomic call on the store; the tokens
// reserved are set right against the usage once the answer is complete.
import {
  type ConsumeResult,
  type CounterCheck,
  type Counters,
  type RateLimitDenial,
  type RequestContext,
} from '@gatehousejs/core';
import type { Logger } from 'winston';
import type { KeyLimits, RequestLimit, Settings, TokenLimit } from './config.js';
import { rateLimitHeaders, type Kind } from './headers.js';
import { failClosed } from './fail-closed.js';
import { positive, reservedTokens } from './reservation.js';

export const STATE_KEY = 'rate-limit';

/** The counters one check asked for, and what to remember if they admit the request. */
interface Asked {
  readonly checks: readonly CounterCheck[];
  readonly kinds: readonly Kind[];
  readonly keyId: string | undefined;
  readonly tokenIndex: number;
  readonly reserve: number;
}

/** What a request holds between its check and its reply. */
interface RequestState {
  /** The key's limits were counted (on the first target admitted). */
  keyCounted: boolean;
  /** The token counter the reservation went to, and how much was reserved. */
  tokenCounter: string | undefined;
  reserved: number;
}

const ANONYMOUS = 'anonymous';
const USER_SCOPE = ':user:';
const NO_LIMITS: KeyLimits = Object.freeze({});

export class Limiter {
  constructor(
    private store: Counters,
    private settings: Settings,
    private readonly log: Logger,
  ) {}

  configure(settings: Settings): void {
    this.settings = settings;
  }

  useStore(store: Counters): void {
    this.store = store;
  }

  /**
   * The rateLimit tap: undefined admits (and counts), a denial refuses (and counts nothing).
   * Answers at once (no promise) when the store is in this process's memory.
   */
  check(ctx: RequestContext): RateLimitDenial | undefined | Promise<RateLimitDenial | undefined> {
    const state = ctx.state.get(STATE_KEY) as RequestState | undefined;
    const endpoint = ctx.target.config.limit;
    const keyId = state?.keyCounted ? undefined : this.keyOf(ctx);
    const limits = keyId === undefined ? NO_LIMITS : this.limitsOf(ctx);
    if (!endpoint && !limits.requests && !limits.tokens) return undefined;

    const checks: CounterCheck[] = [];
    const kinds: Kind[] = [];
    if (endpoint) {
      const caller = endpoint.key === 'user' ? `${USER_SCOPE}${ctx.principal?.id ?? ANONYMOUS}` : '';
      // Request counts are never adjusted afterwards: under --workers they may be admitted from a worker's share.
      checks.push({ key: `endpoint:${ctx.target.endpoint}${caller}`, amount: 1, limit: endpoint.calls, period: endpoint.renewal_period, shareable: true });
      kinds.push('requests');
    }
    if (limits.requests) {
      checks.push({ key: `key:${keyId}:requests`, amount: 1, limit: limits.requests.calls, period: limits.requests.renewal_period, shareable: true });
      kinds.push('requests');
    }
    let tokenIndex = -1;
    let reserve = 0;
    if (limits.tokens) {
      const tokens = reservedTokens(ctx, this.settings.maxOutputTokens);
      reserve = tokens.input + tokens.output;
      tokenIndex = checks.length;
      checks.push({ key: `key:${keyId}:tokens`, amount: reserve, limit: limits.tokens.tokens, period: limits.tokens.renewal_period });
      kinds.push('tokens');
    }
    const decided = { checks, kinds, keyId, tokenIndex, reserve };
    const store = this.store;
    if (store.consumeAllNow) {
      let result: ConsumeResult;
      try {
        result = store.consumeAllNow(checks);
      } catch (error) {
        return unavailable(error);
      }
      return this.decide(ctx, decided, result);
    }
    return store.consumeAll(checks).then((result) => this.decide(ctx, decided, result), unavailable);
  }

  private decide(ctx: RequestContext, asked: Asked, result: ConsumeResult): RateLimitDenial | undefined {
    if (!result.allowed) return denial(asked.checks, result.counters, rateLimitHeaders(asked.kinds, result.counters));
    rateLimitHeaders(asked.kinds, result.counters, ctx.responseHeaders);
    if (asked.keyId !== undefined) {
      let state = ctx.state.get(STATE_KEY) as RequestState | undefined;
      if (!state) ctx.state.set(STATE_KEY, (state = { keyCounted: false, tokenCounter: undefined, reserved: 0 }));
      state.keyCounted = true;
      if (asked.tokenIndex >= 0) {
        state.tokenCounter = result.counters[asked.tokenIndex]!.id;
        state.reserved = asked.reserve;
      }
    }
    return undefined;
  }

  /** onResponse: the reservation becomes the usage; a request that failed before any output gives it all back. */
  reconcile(ctx: RequestContext): Promise<void> | undefined {
    const state = ctx.state.get(STATE_KEY) as RequestState | undefined;
    if (!state?.tokenCounter) return undefined;
    const used = ctx.usage?.total_tokens;
    let delta = 0;
    if (typeof used === 'number') delta = used - state.reserved;
    else if (ctx.error && ctx.timings.firstChunk === undefined) delta = -state.reserved;
    // Without usage on a completed answer the reservation stands: it is the best estimate there is.
    if (delta === 0) return undefined;
    const counter = state.tokenCounter;
    const failed = (error: unknown) => {
      this.log.warn('rate limits: could not reconcile reserved tokens with the usage', { requestId: ctx.id, delta, error: (error as Error).message });
    };
    if (this.store.adjustNow) {
      try {
        this.store.adjustNow(counter, delta);
      } catch (error) {
        failed(error);
      }
      return undefined;
    }
    return this.store.adjust(counter, delta).catch(failed);
  }

  /** Key limits apply to authenticated callers, never to plugins' own invoke() calls. */
  private keyOf(ctx: RequestContext): string | undefined {
    const id = ctx.principal?.id;
    return ctx.surface === 'internal' || id === undefined || id === ANONYMOUS ? undefined : id;
  }

  /** The key's own limits, each kind falling back to `rate_limits.keys`. */
  private limitsOf(ctx: RequestContext): KeyLimits {
    const own = (ctx.principal as { limits?: KeyLimits } | undefined)?.limits;
    const defaults = this.settings.keyDefaults;
    return { requests: validRequests(own?.requests) ?? defaults.requests, tokens: validTokens(own?.tokens) ?? defaults.tokens };
  }

}


function validRequests(limit: RequestLimit | undefined): RequestLimit | undefined {
  return limit && positive(limit.calls) && typeof limit.renewal_period === 'string' ? limit : undefined;
}

function validTokens(limit: TokenLimit | undefined): TokenLimit | undefined {
  return limit && positive(limit.tokens) && typeof limit.renewal_period === 'string' ? limit : undefined;
}

const unavailable = (error: unknown) => failClosed('Rate limits', error);

/** Name every limit that refused; Retry-After waits for the last of them to reset. */
function denial(checks: readonly CounterCheck[], counters: readonly { fits: boolean; resetMs: number }[], headers: Record<string, string>): RateLimitDenial {
  const reasons: string[] = [];
  let resetMs = 0;
  for (let i = 0; i < checks.length; i++) {
    if (counters[i]!.fits) continue;
    resetMs = Math.max(resetMs, counters[i]!.resetMs);
    const check = checks[i]!;
    const label = describe(check);
    reasons.push(check.amount > check.limit ? `${label} (this request needs about ${check.amount} tokens: lower max_tokens or the input)` : label);
  }
  return { retryAfter: Math.max(1, Math.ceil(resetMs / 1000)), message: `Rate limit reached for ${reasons.join('; ')}.`, headers };
}

/** "endpoint \"chat\": 10 calls per minute", "key \"k1\": 5000 tokens per hour", from a check's key. */
function describe(check: CounterCheck): string {
  const rate = (unit: string) => `${check.limit} ${unit}${check.limit === 1 ? '' : 's'} per ${String(check.period)}`;
  if (check.key.startsWith('endpoint:')) {
    const name = check.key.slice('endpoint:'.length);
    const scoped = name.indexOf(USER_SCOPE);
    return scoped < 0 ? `endpoint "${name}": ${rate('call')}` : `endpoint "${name.slice(0, scoped)}" for this caller: ${rate('call')}`;
  }
  const [, id, kind] = /^key:(.*):(requests|tokens)$/.exec(check.key) ?? [];
  return `key "${id}": ${rate(kind === 'tokens' ? 'token' : 'request')}`;
}
