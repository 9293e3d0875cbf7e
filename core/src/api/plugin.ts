import type { Logger } from 'winston';
import type { RequestContext } from './context.js';
import type { JSONSchema } from './json-schema.js';
import type { Clock, MaybePromise } from './provider.js';
import type { EndpointConfig, RouteConfig } from '../config/types.js';
import type { SecretResolver } from '../config/secrets.js';
import type { HookName, TapOptions, HookTapFn } from '../hooks.js';
import type { RequestBody, ResponseBody, StreamChunk } from './openai-types.js';
import type { Counters } from './counters.js';

export const PLUGIN_API_VERSION = 1;

/** A hook as plugins see it: they may only tap it. */
export interface TapOnlyHook<Fn> {
  tap(fn: Fn): void;
  tap(options: TapOptions, fn: Fn): void;
}

export type PluginHooks = { readonly [K in HookName]: TapOnlyHook<HookTapFn<K>> };

/** An HTTP request as plugin routes see it (never express's req). */
export interface PluginHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface PluginHttpResponse {
  status?: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless a string or Buffer. */
  body?: unknown;
  /** Written chunk by chunk as it arrives (SSE, large downloads). */
  stream?: AsyncIterable<string | Uint8Array>;
}

export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to `/plugins/<id>` unless `absolute` is set. */
  path: string;
  /** Mount at `path` as given (it must not shadow a core route). */
  absolute?: boolean;
  handler(request: PluginHttpRequest): MaybePromise<PluginHttpResponse>;
}

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

export interface PluginCliCommand {
  name: string;
  description: string;
  /** `argv` holds the arguments after the command name. Resolves to the exit code. */
  run(argv: string[], io: CliIO): MaybePromise<number | void>;
}

export interface ConfigExtension {
  /** Top-level config keys this plugin owns, with their schemas. */
  topLevel?: Record<string, JSONSchema>;
  /** Keys this plugin adds to each endpoint, with their schemas. */
  endpoint?: Record<string, JSONSchema>;
}

/** Read-only view of the live endpoints (it follows hot reloads). */
export interface EndpointRegistryView {
  get(name: string): EndpointConfig | undefined;
  list(): readonly EndpointConfig[];
}

/** A shared connection (SQL, Redis, ...) opened once by core at `ready` and closed at `close`. */
export interface StoreFactory<T = unknown> {
  open(): Promise<T>;
  close(store: T): Promise<void>;
}

export interface StoreRegistry {
  /** Make a store available under `name`; core opens it once at start-up. */
  provide<T>(name: string, factory: StoreFactory<T>): void;
  /** The opened store; throws before `ready` or when nobody provides it. */
  get<T>(name: string): T;
  has(name: string): boolean;
}

/** A value bound to a `?` placeholder. SQLite stores booleans as 0/1: read them back with Boolean(). */
export type SqlValue = string | number | boolean | null;

/**
 * The shared SQL database, by convention the store named `sql` (`api.stores.get<SqlStore>('sql')`;
 * the usage plugin provides it): one SQL text for SQLite and PostgreSQL, `?` placeholders, calls
 * never blocking the event loop. Use type names both engines accept (TEXT, BIGINT, INTEGER,
 * DOUBLE PRECISION, BOOLEAN); PostgreSQL returns BIGINT as text: read numbers with Number().
 */
export interface SqlStore {
  readonly kind: 'sqlite' | 'postgres';
  /** For logs: a file path or host/database, never a password. */
  readonly location: string;
  /**
   * Bring `component`'s tables to the last version: `steps[v]` are the statements of version v + 1
   * (append, never edit). Recorded in schema_version, in one transaction, serialised across
   * instances; a database migrated by a newer gateway is refused.
   */
  migrate(component: string, steps: readonly (readonly string[])[]): Promise<void>;
  /** The rows of a query. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** A statement that changes rows; resolves to how many it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/**
 * Guards operator routes (usage, metrics, key management), by convention the store named
 * `admin-guard`, provided by the plugin that holds the admin key.
 */
export interface AdminGuard {
  /** Throws a 401/403 GatewayError unless the request carries the admin key; passes when none is configured. */
  check(headers: Readonly<Record<string, string | string[] | undefined>>): void;
  /** As check(), but refuses (403, saying how to set one) when no admin key is configured: for routes that change the gateway. */
  require?(headers: Readonly<Record<string, string | string[] | undefined>>): void;
}

/**
 * The audit log of operator changes, by convention the store named `audit` (provided by the
 * management plugin): other plugins record their own changes there when it exists.
 */
export interface AuditLog {
  /** Who (`admin`), what (`key.create`), on what (an id or name), and details: names and metadata, never a secret. */
  record(actor: string, action: string, target: string, detail?: Record<string, unknown>): Promise<void>;
}

/** Endpoints and routes a plugin serves beside the config file's (the management API). */
export interface RuntimeEntries {
  readonly endpoints: readonly EndpointConfig[];
  readonly routes: readonly RouteConfig[];
}

export interface RuntimeConfigApi {
  /** The config file's own endpoints and routes (as validated), to mark listings and keep their names. */
  fileEntries(): RuntimeEntries;
  /**
   * Replace this plugin's entries and rebuild the live endpoints as a hot reload does: one schema,
   * unchanged instances reused, an atomic swap, requests in flight untouched. Invalid entries (or
   * a name the file uses) reject with a GW_ERR_BAD_REQUEST naming the entry and field, and change nothing.
   */
  set(entries: RuntimeEntries): Promise<void>;
}

export interface InvokeOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface InvokeResult {
  status: number;
  body?: ResponseBody;
  chunks?: AsyncIterable<StreamChunk>;
}

export interface PluginApi<Options = Record<string, unknown>> {
  readonly id: string;
  readonly hooks: PluginHooks;
  readonly log: Logger;
  /** The config file's directory (for resolving relative paths in options). */
  readonly configDir: string;
  onClose(fn: () => MaybePromise<void>): void;
  /** Called with newly validated options after a hot reload. Hooks stay as they are. */
  onConfig(fn: (options: Options, config: { readonly raw: Readonly<Record<string, unknown>> }) => MaybePromise<void>): void;
  readonly http: { route(route: PluginRoute): void };
  readonly cli: { command(command: PluginCliCommand): void };
  readonly config: { extend(extension: ConfigExtension): void };
  readonly endpoints: EndpointRegistryView;
  readonly stores: StoreRegistry;
  /** Atomic shared counters (rate limits, budgets): in memory, shared by every worker of `--workers N`. */
  readonly counters: Counters;
  /** The gateway's clock (GatewayOptions.clock; tests inject one): windows and timestamps that must follow it. */
  readonly clock: Clock;
  /** Mask every configured secret (and key-shaped strings) in a string or JSON-like value. */
  redact<T>(value: T): T;
  /**
   * A secret from this plugin's config, resolved as provider secrets are: `$ENV_VAR` (an error
   * naming `pointer` and the variable when unset, never a value), a key file path, or a literal.
   * The value is registered with the redactor: masked in every log line, error and response.
   */
  resolveSecret(value: string, pointer: string): Promise<string>;
  /** This plugin's runtime endpoints and routes. */
  readonly runtimeConfig: RuntimeConfigApi;
  /** Resolve `$secret:NAME` in provider options (one plugin per gateway may provide it). */
  readonly secrets: { provide(resolver: SecretResolver): void };
  /** Call an endpoint through the whole pipeline (auth excepted: the caller is the plugin). */
  invoke(endpoint: string, body: RequestBody, options?: InvokeOptions): Promise<InvokeResult>;
}

export interface PluginDefinition<Options = Record<string, unknown>> {
  readonly id: string;
  readonly apiVersion: 1;
  /** Ids of plugins that must be loaded (and set up) before this one. */
  readonly dependencies?: readonly string[];
  readonly optionsSchema?: JSONSchema;
  setup(api: PluginApi<Options>, options: Options): MaybePromise<void>;
}

export type { RequestContext, RequestBody, ResponseBody, StreamChunk, SecretResolver };
