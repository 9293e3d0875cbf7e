// Sending a request: fetch, one Attempt (timer and signal) per try, and retries with backoff
// for the failures another try may fix. A call returns once the gateway has answered 2xx; its
// body is read by the caller, and nothing is retried after that (a stream has started).
import { backoffDelayMs, type BackoffPolicy } from '../util/backoff.js';
import { Attempt } from './attempt.js';
import { errorFromResponse, GatehouseError } from './errors.js';
import { isRetryable, sleep } from './retry.js';
import type { CallOptions, FetchLike } from './types.js';

export interface Settings {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly backoff: BackoffPolicy;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchLike;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  /** From the base URL, with any query string. */
  readonly path: string;
  readonly body?: unknown;
  readonly stream?: boolean;
  readonly call: CallOptions;
}

export interface Opened {
  readonly response: Response;
  /** Still running: the caller reads the body under its timer, then ends it. */
  readonly attempt: Attempt;
}

function headersFor(settings: Settings, spec: RequestSpec): Record<string, string> {
  return {
    accept: spec.stream ? 'text/event-stream' : 'application/json',
    ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    ...settings.headers,
    ...spec.call.headers,
  };
}

export async function send(settings: Settings, spec: RequestSpec): Promise<Opened> {
  const maxRetries = spec.call.maxRetries ?? settings.maxRetries;
  const init = { method: spec.method, headers: headersFor(settings, spec), body: spec.body === undefined ? undefined : JSON.stringify(spec.body) };
  for (let retry = 1; ; retry++) {
    const attempt = new Attempt(spec.call.signal, spec.call.timeoutMs ?? settings.timeoutMs);
    let error: GatehouseError;
    try {
      const response = await settings.fetch(`${settings.baseUrl}${spec.path}`, { ...init, signal: attempt.signal });
      if (response.ok) return { response, attempt };
      error = await errorFromResponse(response);
    } catch (failure) {
      error = attempt.failure(failure);
    }
    attempt.end();
    const delay = retry <= maxRetries && isRetryable(error) ? backoffDelayMs(settings.backoff, retry, error.retryAfterMs) : undefined;
    if (delay === undefined) throw error;
    await sleep(delay, spec.call.signal);
  }
}

/** A JSON body, or a GatehouseError saying the answer was unreadable. */
export function parseJson<T>(text: string, response: Response): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GatehouseError(`The gateway answered something that is not JSON: ${text.slice(0, 200)}`, {
      status: response.status,
      requestId: response.headers.get('x-request-id') ?? undefined,
    });
  }
}
