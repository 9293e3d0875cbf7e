import type { EndpointType } from '../api/openai-types.js';

export type RenewalPeriod = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

/** MLflow's per-endpoint rate limit. */
export interface LimitConfig {
  readonly renewal_period: RenewalPeriod;
  readonly calls: number;
  readonly key?: string;
}

/**
 * One endpoint as written in the config (MLflow's format). `model.config` is kept as written:
 * `$ENV` references stay unresolved here, so this object never carries a secret from the
 * environment. Plugins may add keys of their own through config extensions.
 */
export interface EndpointConfig {
  readonly name: string;
  readonly endpoint_type: EndpointType;
  readonly model: {
    readonly provider: string;
    readonly name?: string;
    readonly config?: Readonly<Record<string, unknown>>;
  };
  readonly limit?: LimitConfig;
  /** Endpoint names of the same type, tried in order when this one fails retryably. */
  readonly fallbacks?: readonly string[];
  readonly retry?: RetryConfig;
  readonly timeouts?: TimeoutsConfig;
  readonly circuit_breaker?: CircuitBreakerConfig;
  readonly [key: string]: unknown;
}

/** Retries on one endpoint. Only retryable failures (connection, timeout, 429, 5xx) are retried. */
export interface RetryConfig {
  /** Tries on this endpoint, the first included (1 = no retry). */
  readonly attempts?: number;
  /** First backoff; doubles each retry, with jitter. */
  readonly backoff_seconds?: number;
  readonly max_backoff_seconds?: number;
  /** An upstream Retry-After longer than this is not waited for: the next fallback is tried. */
  readonly max_retry_after_seconds?: number;
}

export interface TimeoutsConfig {
  readonly connect_seconds?: number;
  /** Until the response headers (non-streaming) or the first stream chunk. */
  readonly first_byte_seconds?: number;
  /** Between two stream chunks. */
  readonly idle_seconds?: number;
  /** The whole upstream call (default server.upstream_timeout_seconds). */
  readonly total_seconds?: number;
}

export interface CircuitBreakerConfig {
  /** Consecutive retryable failures that open the breaker. */
  readonly failures?: number;
  /** How long an open breaker skips the endpoint before one probe request is let through. */
  readonly cool_off_seconds?: number;
}

/** MLflow's traffic-split route, plus Gatehouse's fallbacks after the pick. */
export interface RouteConfig {
  readonly name: string;
  readonly task_type: EndpointType;
  readonly destinations: readonly { readonly name: string; readonly traffic_percentage: number }[];
  readonly routing_strategy?: 'TRAFFIC_SPLIT';
  /** Endpoint names tried in order after the picked destination (and its own fallbacks) fail. */
  readonly fallbacks?: readonly string[];
  readonly [key: string]: unknown;
}

/** An explicit plugin entry: a package name or a path relative to the config file. */
export interface PluginEntry {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly enabled?: boolean;
}

export interface CorsConfig {
  /** Allowed origins; '*' allows any. */
  readonly origins: readonly string[] | '*';
  readonly credentials?: boolean;
  readonly max_age_seconds?: number;
}

export interface ServerConfig {
  readonly host?: string;
  readonly port?: number;
  /** Largest accepted request body: bytes, or a string such as '20mb'. */
  readonly body_limit?: number | string;
  readonly upstream_timeout_seconds?: number;
  readonly shutdown_timeout_seconds?: number;
  readonly cors?: CorsConfig;
  /** Upstream calls one request may make across retries and fallbacks (default 5). */
  readonly max_upstream_attempts?: number;
  /** Connections per upstream origin in the shared pool. */
  readonly upstream_connections?: number;
}

export interface LoggingConfig {
  readonly level?: 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
  readonly format?: 'json' | 'pretty';
}

/** The whole config after normalisation (legacy MLflow routes turned into endpoints). */
export interface GatewayConfig {
  readonly endpoints: readonly EndpointConfig[];
  readonly routes: readonly RouteConfig[];
  readonly plugins: readonly PluginEntry[];
  readonly server: ServerConfig;
  readonly logging: LoggingConfig;
  /** Top-level keys owned by plugins, as written. */
  readonly [key: string]: unknown;
}
