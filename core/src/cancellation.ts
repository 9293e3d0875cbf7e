// A request's cancellation, without an AbortController until something asks for a signal.
// An AbortController (an EventTarget, its signal, listener bookkeeping) per request, plus one
// more per upstream call to add the call's timeout, was a noticeable part of a request's CPU;
// core's own upstream helpers listen here instead, and providers that read `call.signal` still
// get a real AbortSignal, made on first read and aborted with the same reason.

/** What core's upstream helpers need of a cancellation: a state and a listener. */
export interface CancelSource {
  readonly aborted: boolean;
  readonly reason: unknown;
  readonly signal: AbortSignal;
  /** Call `listener` once on abort (not if already aborted); returns the way to stop listening. */
  onAbort(listener: () => void): () => void;
}

const NOOP = (): void => undefined;

export class Cancellation implements CancelSource {
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  // One listener is the common case (the upstream call in flight): no array for it.
  private single: (() => void) | undefined;
  private more: Set<() => void> | undefined;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const single = this.single;
    const more = this.more;
    this.single = undefined;
    this.more = undefined;
    single?.();
    if (more) for (const listener of more) listener();
    this.controller?.abort(this.reason);
  }

  onAbort(listener: () => void): () => void {
    if (this.aborted) return NOOP;
    if (this.single === undefined && this.more === undefined) {
      this.single = listener;
      return () => {
        if (this.single === listener) this.single = undefined;
      };
    }
    (this.more ??= new Set()).add(listener);
    return () => {
      this.more?.delete(listener);
    };
  }
}

/**
 * A CancelSource over a plain AbortSignal (a caller's own, an attempt's controller). A class: an
 * object literal with getters made a hidden class per object (README, Performance, Hidden classes).
 */
class SignalSource implements CancelSource {
  constructor(readonly signal: AbortSignal) {}

  get aborted(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason as unknown;
  }

  onAbort(listener: () => void): () => void {
    const signal = this.signal;
    if (signal.aborted) return NOOP;
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  }
}

export function signalSource(signal: AbortSignal): CancelSource {
  return new SignalSource(signal);
}

/** Where core's upstream helpers find a call's CancelSource without reading `call.signal` (see call-context.ts). */
export const CANCEL_SOURCE: unique symbol = Symbol('gatehouse.cancelSource');

interface Marked {
  readonly signal: AbortSignal;
  readonly [CANCEL_SOURCE]?: { readonly owner: object; readonly source: CancelSource } | undefined;
}

/** The call's own CancelSource when core made this very call object, else one over its signal. */
export function cancelSourceOf(call: object & { readonly signal: AbortSignal }): CancelSource {
  const mark = (call as Marked)[CANCEL_SOURCE];
  return mark !== undefined && mark.owner === call ? mark.source : signalSource(call.signal);
}

/** The call's AbortSignal if it already has one (a caller's own), without making core's. */
export function existingSignal(call: object & { readonly signal: AbortSignal }): AbortSignal | undefined {
  const mark = (call as Marked)[CANCEL_SOURCE];
  return mark !== undefined && mark.owner === call ? undefined : call.signal;
}
