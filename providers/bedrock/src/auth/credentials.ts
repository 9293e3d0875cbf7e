// Where each request's AWS credentials come from: fixed keys, or an assumed role whose
// temporary credentials are cached and renewed shortly before they expire. Concurrent requests
// during a renewal share one STS call; a renewal is never made per request.
import { transportError, type CallContext, type Clock, type ProviderServices } from '@gatehousejs/core';
import type { AwsCredentials } from './sigv4.js';
import { STS_LABEL, type TemporaryCredentials } from './sts.js';

export interface CredentialProvider {
  get(call: CallContext): Promise<AwsCredentials>;
}

export function staticCredentials(credentials: AwsCredentials): CredentialProvider {
  const frozen = Object.freeze({ ...credentials });
  return { get: () => Promise.resolve(frozen) };
}

/** Renew this long before the expiry. */
export const RENEW_BEFORE_MS = 5 * 60 * 1000;
/** After a failed renewal, keep using the old credentials while they have at least this long to live. */
const GRACE_MS = 30 * 1000;
/** Time allowed for one AssumeRole call (it is shared, so it does not use one request's budget). */
export const STS_TIMEOUT_MS = 15 * 1000;

export interface AssumedRoleOptions {
  /** One AssumeRole call; `now` is the clock's time when it starts. */
  readonly assume: (now: number, call: CallContext) => Promise<TemporaryCredentials>;
  readonly clock: Clock;
  readonly logger: ProviderServices['logger'];
}

/** Wait for `promise`, or reject as soon as the caller's request is cancelled. */
function untilAborted<T>(promise: Promise<T>, call: CallContext): Promise<T> {
  if (call.signal.aborted) return Promise.reject(transportError(call.signal.reason, call, STS_LABEL));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(transportError(call.signal.reason, call, STS_LABEL));
    call.signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        call.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        call.signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class AssumedRoleCredentials implements CredentialProvider {
  private current: TemporaryCredentials | undefined;
  private pending: Promise<TemporaryCredentials> | undefined;

  constructor(private readonly options: AssumedRoleOptions) {}

  async get(call: CallContext): Promise<AwsCredentials> {
    const now = this.options.clock.now();
    const current = this.current;
    if (current && now < current.expiresAt - RENEW_BEFORE_MS) return current.credentials;
    try {
      return (await untilAborted(this.renew(), call)).credentials;
    } catch (error) {
      if (call.signal.aborted || !current || this.options.clock.now() >= current.expiresAt - GRACE_MS) throw error;
      this.options.logger.warn(`Renewing the assumed-role credentials failed; the current ones stay in use until they expire: ${(error as Error).message}`);
      return current.credentials;
    }
  }

  /** The renewal in flight, or a new one: one STS call however many requests wait for it. */
  private renew(): Promise<TemporaryCredentials> {
    if (!this.pending) {
      const started = this.options.clock.now();
      const sts: CallContext = {
        signal: new AbortController().signal,
        timeoutMs: STS_TIMEOUT_MS,
        requestId: 'sts-assume-role',
        log: this.options.logger,
      };
      this.pending = this.options
        .assume(started, sts)
        .then((fresh) => {
          this.current = fresh;
          return fresh;
        })
        .finally(() => {
          this.pending = undefined;
        });
      // Every waiter handles the outcome; this keeps a failure seen by no one (all waiters
      // cancelled) from becoming an unhandled rejection.
      this.pending.catch(() => undefined);
    }
    return this.pending;
  }
}
