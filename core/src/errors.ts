// Coded errors. Every failure the gateway reports is a GatewayError created here with a
// GW_ERR_* code; `httpStatusOf` / `toOpenAIErrorBody` are the only mapping to HTTP.

const ERROR_BRAND = Symbol.for('gatehouse.error');

interface CodeInfo {
  status: number;
  /** OpenAI's `error.type` for this failure. */
  type: string;
}

export const ERROR_CODES = Object.freeze({
  GW_ERR_BAD_REQUEST: { status: 400, type: 'invalid_request_error' },
  GW_ERR_ENDPOINT_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  GW_ERR_ENDPOINT_TYPE_MISMATCH: { status: 400, type: 'invalid_request_error' },
  GW_ERR_ROUTE_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  GW_ERR_BODY_TOO_LARGE: { status: 413, type: 'invalid_request_error' },
  GW_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, type: 'invalid_request_error' },
  GW_ERR_UNAUTHENTICATED: { status: 401, type: 'authentication_error' },
  GW_ERR_FORBIDDEN: { status: 403, type: 'permission_error' },
  GW_ERR_RATE_LIMITED: { status: 429, type: 'rate_limit_error' },
  GW_ERR_NOT_IMPLEMENTED: { status: 501, type: 'not_implemented_error' },
  GW_ERR_UPSTREAM_ERROR: { status: 502, type: 'upstream_error' },
  GW_ERR_UPSTREAM_BAD_RESPONSE: { status: 502, type: 'upstream_error' },
  GW_ERR_UPSTREAM_UNAVAILABLE: { status: 502, type: 'upstream_error' },
  GW_ERR_UPSTREAM_TIMEOUT: { status: 504, type: 'timeout_error' },
  GW_ERR_CLIENT_CLOSED: { status: 499, type: 'client_closed_request' },
  GW_ERR_SHUTTING_DOWN: { status: 503, type: 'server_error' },
  // A limiter's store (Redis, the cluster primary) cannot be reached: rate limits fail closed.
  GW_ERR_LIMITER_UNAVAILABLE: { status: 503, type: 'server_error' },
  GW_ERR_HOOK_TIMEOUT: { status: 500, type: 'server_error' },
  GW_ERR_PLUGIN_FAILED: { status: 500, type: 'server_error' },
  GW_ERR_INTERNAL: { status: 500, type: 'server_error' },
  // Start-up and contract errors: never answered to a client, they stop the gateway.
  GW_ERR_CONFIG_INVALID: { status: 500, type: 'server_error' },
  GW_ERR_CONFIG_NOT_FOUND: { status: 500, type: 'server_error' },
  GW_ERR_SECRET_UNRESOLVED: { status: 500, type: 'server_error' },
  GW_ERR_PLUGIN_LOAD: { status: 500, type: 'server_error' },
  GW_ERR_PLUGIN_DUPLICATE: { status: 500, type: 'server_error' },
  GW_ERR_PLUGIN_API_VERSION: { status: 500, type: 'server_error' },
  GW_ERR_PLUGIN_DEPENDENCY: { status: 500, type: 'server_error' },
  GW_ERR_PLUGIN_BRAND: { status: 500, type: 'server_error' },
  GW_ERR_HOOKS_FROZEN: { status: 500, type: 'server_error' },
} satisfies Record<string, CodeInfo>);

export type ErrorCode = keyof typeof ERROR_CODES;

export interface GatewayErrorOptions {
  /** HTTP status, overriding the code's default (upstream 4xx keep theirs). */
  status?: number;
  /** The request field at fault, reported as OpenAI's `error.param`. */
  param?: string;
  /** Seconds, sent as `Retry-After` (429 and 503). */
  retryAfter?: number;
  /** Upstream's own error type, when passing an upstream error through. */
  type?: string;
  cause?: unknown;
  /** The provider's own error body (native passthrough routes answer with it). */
  upstreamBody?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | undefined;
  readonly retryAfter: number | undefined;
  readonly upstreamBody: unknown;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    const info: CodeInfo = ERROR_CODES[code];
    this.status = options.status ?? info.status;
    this.type = options.type ?? info.type;
    this.param = options.param;
    this.retryAfter = options.retryAfter;
    this.upstreamBody = options.upstreamBody;
  }

  get [ERROR_BRAND](): true {
    return true;
  }
}

export function createError(code: ErrorCode, message: string, options?: GatewayErrorOptions): GatewayError {
  return new GatewayError(code, message, options);
}

/** Works across duplicate installs of core, where `instanceof` would not. */
export function isGatewayError(value: unknown): value is GatewayError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: string }).name === 'AbortError';
}

/** Any thrown value as a GatewayError; unknown failures become an opaque 500. */
export function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  if (isAbortError(error)) return createError('GW_ERR_CLIENT_CLOSED', 'The request was cancelled.', { cause: error });
  return createError('GW_ERR_INTERNAL', 'Internal gateway error.', { cause: error });
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** OpenAI's error shape; `code` is the GW_ERR_ code in lower snake case without the prefix. */
export function toOpenAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return {
    error: {
      message: error.message,
      type: error.type,
      code: wireCode(error.code),
      param: error.param ?? null,
    },
  };
}

export function wireCode(code: ErrorCode): string {
  return code.slice('GW_ERR_'.length).toLowerCase();
}
