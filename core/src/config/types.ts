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
  readonly [key: string]: unknown;
}

/** MLflow's traffic-split route. Accepted and validated now; served by the routing plugin. */
export interface RouteConfig {
  readonly name: string;
  readonly task_type: EndpointType;
  readonly destinations: readonly { readonly name: string; readonly traffic_percentage: number }[];
  readonly routing_strategy?: 'TRAFFIC_SPLIT';
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
