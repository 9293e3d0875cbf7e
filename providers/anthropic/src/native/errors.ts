// Gateway errors on the Anthropic routes, in Anthropic's own shape, so the Anthropic SDKs raise
// their typed error classes: {"type":"error","error":{"type","message"}}.
// Reference: https://docs.anthropic.com/en/api/errors (HTTP errors, error shapes); the 504
// `timeout_error` type is the one the official SDKs declare (GatewayTimeoutError).
import { sseFrame, type NativeError } from '@gatehousejs/core';

const TYPES: ReadonlyMap<number, string> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [502, 'api_error'],
  [503, 'overloaded_error'],
  [504, 'timeout_error'],
  [529, 'overloaded_error'],
]);

/** Anthropic's error type for an HTTP status: other 4xx read as invalid requests (as Anthropic documents), other 5xx as api_error. */
export function anthropicErrorType(status: number): string {
  return TYPES.get(status) ?? (status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error');
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export function anthropicError(status: number, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(status), message } };
}

export function errorBody(error: NativeError): AnthropicErrorBody {
  return anthropicError(error.status, error.message);
}

/** Mid-stream, the status line is long sent: Anthropic reports the failure as an `error` event. */
export function streamError(error: NativeError): string {
  return sseFrame(JSON.stringify(errorBody(error)), 'error');
}
