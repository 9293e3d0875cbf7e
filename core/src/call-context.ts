// The CallContext core hands a provider for one upstream call. `signal` and `log` are made on
// first read (most calls never read them: core's upstream helpers listen to the cancellation
// directly, and a call that goes well logs nothing), and a copy made with `{ ...call }` reads
// them and so stays whole.
import type { CallContext } from './api/provider.js';
import { CANCEL_SOURCE, type CancelSource } from './cancellation.js';
import type { Context } from './context.js';

export interface CallLimits {
  readonly timeoutMs: number;
  readonly firstByteTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

export function coreCallContext(ctx: Context, cancel: CancelSource, limits: CallLimits): CallContext {
  const call = {
    get signal(): AbortSignal {
      return cancel.signal;
    },
    timeoutMs: limits.timeoutMs,
    firstByteTimeoutMs: limits.firstByteTimeoutMs,
    idleTimeoutMs: limits.idleTimeoutMs,
    requestId: ctx.id,
    get log() {
      return ctx.log;
    },
    [CANCEL_SOURCE]: undefined as { readonly owner: object; readonly source: CancelSource } | undefined,
  };
  // Marked with its owner: a copy (`{ ...call, signal: other }`) is not this call and is
  // cancelled through its own signal.
  call[CANCEL_SOURCE] = { owner: call, source: cancel };
  return call;
}
