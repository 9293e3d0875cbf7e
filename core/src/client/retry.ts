// Which failures the client retries, and an abortable wait between attempts.
import { abortedBy, ConnectionError, TimeoutError, type GatehouseError } from './errors.js';

/** Rate limits, the provider failing or timing out, a gateway going away: another try may work. */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Never a 4xx other than 429, an abort, or a stream that had started (those come as StreamError). */
export function isRetryable(error: GatehouseError): boolean {
  if (error instanceof TimeoutError || error instanceof ConnectionError) return true;
  return error.status !== undefined && RETRYABLE_STATUS.has(error.status);
}

/** Wait `ms`; the caller's signal ends the wait at once with an AbortedError. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedBy(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
