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

// The two accessors are own, enumerable properties (so a spread copy carries `signal` and `log`),
// defined with shared descriptors whose getters read the call's hidden state. An object literal
// with `get signal() {...}` made two closures per call, which left every call object in
// dictionary mode with a map of its own: ~1 µs per call, and garbage that only a full collection
// frees, holding the young objects it points to through every scavenge (README, Performance,
// Hidden classes).
const STATE = Symbol('gatehouse.callState');

interface CallState {
  readonly ctx: Context;
  readonly cancel: CancelSource;
}

type CoreCall = CallContext & { [STATE]: CallState; [CANCEL_SOURCE]: { readonly owner: object; readonly source: CancelSource } };

const SIGNAL: PropertyDescriptor = {
  get(this: CoreCall) {
    return this[STATE].cancel.signal;
  },
  enumerable: true,
  configurable: true,
};
const LOG: PropertyDescriptor = {
  get(this: CoreCall) {
    return this[STATE].ctx.log;
  },
  enumerable: true,
  configurable: true,
};

export function coreCallContext(ctx: Context, cancel: CancelSource, limits: CallLimits): CallContext {
  const call = {
    timeoutMs: limits.timeoutMs,
    firstByteTimeoutMs: limits.firstByteTimeoutMs,
    idleTimeoutMs: limits.idleTimeoutMs,
    requestId: ctx.id,
    [CANCEL_SOURCE]: undefined as { readonly owner: object; readonly source: CancelSource } | undefined,
  };
  // Marked with its owner: a copy (`{ ...call, signal: other }`) is not this call and is
  // cancelled through its own signal.
  call[CANCEL_SOURCE] = { owner: call, source: cancel };
  // Not enumerable: a copy does not carry the state its own getters are not there to read.
  Object.defineProperty(call, STATE, { value: { ctx, cancel } satisfies CallState });
  Object.defineProperty(call, 'signal', SIGNAL);
  Object.defineProperty(call, 'log', LOG);
  return call as unknown as CallContext;
}
