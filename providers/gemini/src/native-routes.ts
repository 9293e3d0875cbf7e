// Gemini's own protocol served by the gateway (passthrough), mounted by core under /gateway:
//   POST /gateway/gemini/v1beta/models/{endpoint}:generateContent
//   POST /gateway/gemini/v1beta/models/{endpoint}:streamGenerateContent[?alt=sse]
// so that a Google SDK pointed at {gateway}/gateway/gemini works unchanged. The handlers are in
// native.ts. Errors use Google's error model: https://cloud.google.com/apis/design/errors#http_mapping,
// https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes.
import { sseFrame, type NativeCredential, type NativeError, type NativeRouteDefinition } from '@gatehousejs/core';

/** Google's error body (google.rpc.Status as JSON). */
export interface GoogleErrorBody {
  error: { code: number; message: string; status: string };
}

/** HTTP status → google.rpc.Code name, as Google maps them; other 4xx/5xx fall back by class. */
const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [400, 'INVALID_ARGUMENT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'PERMISSION_DENIED'],
  [404, 'NOT_FOUND'],
  [429, 'RESOURCE_EXHAUSTED'],
  [500, 'INTERNAL'],
  [501, 'UNIMPLEMENTED'],
  // The gateway's 502 means Gemini failed or could not be reached: UNAVAILABLE, as gRPC maps 502.
  [502, 'UNAVAILABLE'],
  [503, 'UNAVAILABLE'],
  [504, 'DEADLINE_EXCEEDED'],
]);

export function googleStatus(status: number): string {
  return STATUS_NAMES.get(status) ?? (status < 500 ? 'INVALID_ARGUMENT' : 'INTERNAL');
}

export function googleError(status: number, message: string): GoogleErrorBody {
  return { error: { code: status, message, status: googleStatus(status) } };
}

const errorBody = (error: NativeError): GoogleErrorBody => googleError(error.status, error.message);

/** Mid-stream, Gemini sends its error body as one more SSE event, then closes. */
const streamError = (error: NativeError): string => sseFrame(JSON.stringify(errorBody(error)));

/** Google's SDKs send the key as `x-goog-api-key`; REST examples use `?key=`. */
const CREDENTIALS: readonly NativeCredential[] = Object.freeze([{ header: 'x-goog-api-key' }, { query: 'key' }]);

const common = {
  method: 'POST',
  endpointType: 'llm/v1/chat',
  endpointFrom: { param: 'endpoint' },
  credentials: CREDENTIALS,
  errorBody,
  streamError,
} as const;

// path-to-regexp 8: a literal ':' after a parameter must be escaped.
export const nativeRoutes: readonly NativeRouteDefinition[] = Object.freeze([
  { ...common, path: '/gemini/v1beta/models/:endpoint\\:generateContent', handler: 'generateContent', streamFrom: { always: false } },
  { ...common, path: '/gemini/v1beta/models/:endpoint\\:streamGenerateContent', handler: 'streamGenerateContent', streamFrom: { always: true } },
]);
