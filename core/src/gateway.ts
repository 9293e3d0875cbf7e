// The gateway: loads config and plugins, owns the hooks, the live endpoint snapshot, the
// shared dispatcher and stores, and runs hot reloads and shutdown. HTTP lives in http/.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { Agent } from './upstream/undici.js';
import type { Logger } from 'winston';
import type { ValidateFunction } from 'ajv';
import { createHooks, freezeHooks, hasTaps, STAGE, CORE_TAP_PREFIX, type Hooks } from './hooks.js';
import { runBail, runParallel, runSeries } from './hook-runner.js';
import { Redactor } from './redact.js';
import { createLogger } from './logger.js';
import { createAjv, formatAjvErrors } from './validation/ajv.js';
import { buildConfigSchema, type SchemaExtensions } from './config/schema.js';
import { readConfigFile, resolveConfigPath, type LoadedConfigFile } from './config/load.js';
import { compileConfig } from './config/compile.js';
import { watchConfigFile } from './config/watch.js';
import { withRuntimeEntries, type RuntimeEntries } from './config/runtime.js';
import type { SecretResolver } from './config/secrets.js';
import type { GatewayConfig, PluginEntry } from './config/types.js';
import { discover, type Candidate } from './loader/discover.js';
import { importPlugin } from './loader/import.js';
import { ProviderCatalog } from './loader/provider-catalog.js';
import { collectNativeRoutes, type MountedNativeRoute } from './native/routes.js';
import { buildSnapshot, closeUnused, type Snapshot } from './registry.js';
import { Stores } from './stores.js';
import { createPluginApi, type PluginRegistrations } from './plugin-api.js';
import { callTargetProvider, execute, safeError, type PipelineResult } from './pipeline.js';
import { Context, type ContextInit } from './context.js';
import { createError, type GatewayError } from './errors.js';
import type { ProviderDefinition, Clock } from './api/provider.js';
import type { PluginDefinition, InvokeOptions, InvokeResult, EndpointRegistryView } from './api/plugin.js';
import type { RequestBody, ResponseBody, StreamChunk } from './api/openai-types.js';
import type { Principal, RequestContext } from './api/context.js';
import { parseBytes } from './util/bytes.js';
import { CircuitBreakers } from './resilience/breaker.js';
import { ConnectTimeoutDispatchers } from './upstream/dispatchers.js';
import { createCounters } from './cluster/ipc-counters.js';

export interface GatewayOptions {
  /** Config file path; otherwise GATEHOUSE_CONFIG / MLFLOW_DEPLOYMENTS_CONFIG, then a search of cwd. */
  readonly configPath?: string;
  /** An inline config object instead of a file (tests, embedding). Not watched. */
  readonly config?: Record<string, unknown>;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Upstream dispatcher; by default a pooled keep-alive undici Agent owned by the gateway. */
  readonly dispatcher?: Dispatcher;
  /** Where log lines go (stdout by default). */
  readonly logStream?: NodeJS.WritableStream;
  readonly logger?: Logger;
  /** Provider definitions given directly, in addition to discovered packages. */
  readonly providers?: readonly ProviderDefinition[];
  /** Plugin definitions given directly, set up after the configured and discovered ones. */
  readonly plugins?: readonly { definition: PluginDefinition; options?: Record<string, unknown> }[];
  /** Watch the config file and hot-reload it (default true for files). */
  readonly watch?: boolean;
  readonly clock?: Clock;
  /** Skip discovery from package.json (inline providers/plugins only). */
  readonly discover?: boolean;
}

export interface ServerSettings {
  readonly bodyLimitBytes: number;
  readonly maxUpstreamAttempts: number;
  readonly upstreamTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly cors: GatewayConfig['server']['cors'];
  readonly host: string | undefined;
  readonly port: number | undefined;
}

const DEFAULT_BODY_LIMIT = 20 * 1024 * 1024;
const DEFAULT_UPSTREAM_TIMEOUT_S = 300;
/** Connections per upstream origin (server.upstream_connections). */
const DEFAULT_UPSTREAM_CONNECTIONS = 256;
const DEFAULT_SHUTDOWN_TIMEOUT_S = 30;
const DEFAULT_MAX_UPSTREAM_ATTEMPTS = 5;

interface LoadedPlugin {
  readonly definition: PluginDefinition;
  readonly registrations: PluginRegistrations;
  readonly validate: ValidateFunction | null;
  readonly entryName: string | undefined;
}

export class Gateway {
  readonly hooks: Hooks;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly configPath: string | undefined;
  readonly configDir: string;
  /** Per-endpoint circuit breakers; kept across hot reloads. */
  readonly breakers: CircuitBreakers;
  /** Shared counters for rate limits and budgets (the cluster primary's under --workers N). */
  readonly counters: ReturnType<typeof createCounters>;
  private snapshotRef!: Snapshot;
  private file!: LoadedConfigFile;
  private validateConfig!: ValidateFunction;
  private readonly plugins: LoadedPlugin[] = [];
  private catalog!: ProviderCatalog;
  private nativeRouteList: readonly MountedNativeRoute[] = [];
  private readonly stores = new Stores();
  private readonly ownsDispatcher: boolean;
  private readonly env: NodeJS.ProcessEnv;
  private readonly clock: Clock;
  private readonly ajv = createAjv();
  private settingsRef!: ServerSettings;
  private unwatch: (() => void) | undefined;
  private reloading: Promise<boolean> = Promise.resolve(true);
  private pluginEntries: readonly PluginEntry[] = [];
  /** Endpoints and routes plugins serve beside the file's, by plugin id. */
  private runtime: ReadonlyMap<string, RuntimeEntries> = new Map();
  private fileEntries: RuntimeEntries = { endpoints: [], routes: [] };
  private secretResolver: { plugin: string; resolver: SecretResolver } | undefined;
  private inflight = 0;
  private drainWaiters: (() => void)[] = [];
  private closed = false;
  private draining = false;
  readonly extensions: SchemaExtensions = { topLevel: {}, endpoint: {} };

  private constructor(private readonly options: GatewayOptions, configPath: string | undefined) {
    this.env = options.env ?? process.env;
    this.configPath = configPath;
    this.configDir = configPath ? path.dirname(configPath) : path.resolve(options.cwd ?? process.cwd());
    this.redactor = new Redactor();
    this.log = options.logger ?? createLogger({ redactor: this.redactor, stream: options.logStream });
    this.hooks = createHooks();
    this.clock = options.clock ?? { now: () => Date.now() };
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcherRef = options.dispatcher;
    this.breakers = new CircuitBreakers(this.clock);
    this.counters = createCounters(() => this.clock.now());
  }

  // The gateway's own pool is made once the config is read (its size is server.upstream_connections).
  private dispatcherRef: Dispatcher | undefined;
  private connections: number | undefined;
  private connectPools: ConnectTimeoutDispatchers | undefined;

  /** Upstream dispatcher: the injected one, or the gateway's pooled keep-alive undici Agent. */
  get dispatcher(): Dispatcher {
    if (!this.dispatcherRef) throw createError('GW_ERR_INTERNAL', 'The upstream dispatcher is made when the config is first read.');
    return this.dispatcherRef;
  }

  private ensureDispatcher(connections = DEFAULT_UPSTREAM_CONNECTIONS): void {
    if (this.dispatcherRef) {
      if (this.ownsDispatcher && connections !== this.connections) this.log.warn('server.upstream_connections changed: restart the gateway to resize the upstream pools');
      return;
    }
    this.connections = connections;
    this.dispatcherRef = new Agent({ keepAliveTimeout: 30_000, connections });
    // An injected dispatcher (tests, embedding) is used as given: connect timeouts need our own pools.
    this.connectPools = new ConnectTimeoutDispatchers(this.dispatcherRef, connections);
  }

  get maxUpstreamAttempts(): number {
    return this.settingsRef.maxUpstreamAttempts;
  }

  /** Load config and plugins, build the endpoints, run `ready`, freeze the hooks. */
  static async create(options: GatewayOptions = {}): Promise<Gateway> {
    const cwd = path.resolve(options.cwd ?? process.cwd());
    const configPath = options.config ? undefined : await resolveConfigPath(options.configPath, cwd, options.env ?? process.env);
    const gateway = new Gateway(options, configPath);
    try {
      await gateway.start();
    } catch (error) {
      await gateway.dispose();
      throw error;
    }
    return gateway;
  }

  get snapshot(): Snapshot {
    return this.snapshotRef;
  }

  get settings(): ServerSettings {
    return this.settingsRef;
  }

  get config(): GatewayConfig {
    return this.snapshotRef.config;
  }

  get pluginRoutes(): readonly { plugin: string; route: PluginRegistrations['routes'][number] }[] {
    return this.plugins.flatMap((p) => p.registrations.routes.map((route) => ({ plugin: p.definition.id, route })));
  }

  /** The native passthrough routes the providers declare, mounted by the HTTP adapter. */
  get nativeRoutes(): readonly MountedNativeRoute[] {
    return this.nativeRouteList;
  }

  get cliCommands(): readonly { plugin: string; command: PluginRegistrations['commands'][number] }[] {
    return this.plugins.flatMap((p) => p.registrations.commands.map((command) => ({ plugin: p.definition.id, command })));
  }

  private async readFile(): Promise<LoadedConfigFile> {
    if (this.options.config) {
      return { filepath: '<inline config>', raw: structuredClone(this.options.config), locate: () => undefined };
    }
    return readConfigFile(this.configPath!);
  }

  private async start(): Promise<void> {
    this.file = await this.readFile();
    this.pluginEntries = readPluginEntries(this.file);
    const discovered = this.options.discover === false ? { providers: [], plugins: [] } : await discover(this.pluginEntries, this.configDir, path.resolve(this.options.cwd ?? process.cwd()));
    this.catalog = new ProviderCatalog(discovered.providers, this.options.providers ?? []);

    this.hooks.callProvider.tapPromise({ name: `${CORE_TAP_PREFIX}provider`, stage: STAGE.LATE }, (ctx) =>
      callTargetProvider(ctx as Context, this.settingsRef.upstreamTimeoutMs),
    );
    await this.setupPlugins(discovered.plugins);

    this.validateConfig = this.ajv.compile(buildConfigSchema(this.extensions));
    const { config, merged, own } = this.compile(this.file, this.runtime);
    this.fileEntries = own;
    this.ensureDispatcher(config.server.upstream_connections);
    this.applyConfig(config);
    this.snapshotRef = await buildSnapshot(config, merged, this.registryServices(config));
    // Providers that serve native routes load now (the rest on first use); their routes are checked once.
    this.nativeRouteList = await collectNativeRoutes(this.catalog);
    await this.notifyConfig(config);

    await this.stores.openAll();
    await this.hooks.ready.promise({ log: this.log });
    freezeHooks(this.hooks);
    if (this.configPath && this.options.watch !== false) {
      this.unwatch = watchConfigFile(this.configPath, () => void this.reload());
    }
    this.log.info('gateway ready', {
      config: this.file.filepath,
      endpoints: config.endpoints.length,
      routes: config.routes.length,
      plugins: this.plugins.map((p) => p.definition.id),
    });
  }

  private registryServices(config: GatewayConfig) {
    return {
      dispatcherFor: (connectMs: number | undefined) => this.connectPools?.forConnectTimeout(connectMs) ?? this.dispatcher,
      upstreamTimeoutMs: (config.server.upstream_timeout_seconds ?? DEFAULT_UPSTREAM_TIMEOUT_S) * 1000,
      catalog: this.catalog,
      ajv: this.ajv,
      dispatcher: this.dispatcher,
      logger: this.log,
      clock: this.clock,
      redactor: this.redactor,
      env: this.env,
      secrets: this.secretResolver?.resolver,
    };
  }

  /** The file with the runtime entries appended, validated as one; and the file's own entries. */
  private compile(file: LoadedConfigFile, runtime: ReadonlyMap<string, RuntimeEntries>): { config: GatewayConfig; merged: LoadedConfigFile; own: RuntimeEntries } {
    const merged = withRuntimeEntries(file, runtime);
    const config = compileConfig(merged, this.validateConfig);
    const fileOnly = runtime.size === 0 ? config : compileConfig(file, this.validateConfig);
    return { config, merged, own: { endpoints: fileOnly.endpoints, routes: fileOnly.routes } };
  }

  private applyConfig(config: GatewayConfig): void {
    const server = config.server;
    this.settingsRef = {
      bodyLimitBytes: server.body_limit === undefined ? DEFAULT_BODY_LIMIT : parseBytes(server.body_limit),
      upstreamTimeoutMs: (server.upstream_timeout_seconds ?? DEFAULT_UPSTREAM_TIMEOUT_S) * 1000,
      maxUpstreamAttempts: server.max_upstream_attempts ?? DEFAULT_MAX_UPSTREAM_ATTEMPTS,
      shutdownTimeoutMs: (server.shutdown_timeout_seconds ?? DEFAULT_SHUTDOWN_TIMEOUT_S) * 1000,
      cors: server.cors,
      host: server.host,
      port: server.port,
    };
    if (config.logging.level) this.log.level = config.logging.level;
  }

  private endpointView(): EndpointRegistryView {
    return {
      get: (name) => this.snapshotRef?.endpoints.get(name)?.config,
      list: () => (this.snapshotRef ? [...this.snapshotRef.endpoints.values()].map((e) => e.config) : []),
    };
  }

  private async setupPlugins(discovered: readonly Candidate[]): Promise<void> {
    const candidates: { definition: PluginDefinition; options: Record<string, unknown> | undefined; entryName: string | undefined }[] = [];
    for (const c of discovered) {
      candidates.push({ definition: await importPlugin(c), options: c.options as Record<string, unknown> | undefined, entryName: c.packageName });
    }
    for (const inline of this.options.plugins ?? []) {
      candidates.push({ definition: inline.definition, options: inline.options, entryName: undefined });
    }
    const ids = new Set<string>();
    for (const c of candidates) {
      if (ids.has(c.definition.id)) throw createError('GW_ERR_PLUGIN_DUPLICATE', `Two plugins have the id "${c.definition.id}".`);
      ids.add(c.definition.id);
    }
    const deps = {
      hooks: this.hooks,
      log: this.log,
      configDir: this.configDir,
      extensions: this.extensions,
      endpoints: this.endpointView(),
      stores: this.stores,
      redactor: this.redactor,
      counters: this.counters,
      clock: this.clock,
      env: this.env,
      configFile: () => this.file.filepath,
      invoke: (caller: string, endpoint: string, body: RequestBody, options?: InvokeOptions) => this.invoke(caller, endpoint, body, options),
      fileEntries: () => this.fileEntries,
      setRuntime: (caller: string, entries: RuntimeEntries) => this.setRuntime(caller, entries),
      provideSecrets: (caller: string, resolver: SecretResolver) => {
        if (this.secretResolver) throw createError('GW_ERR_PLUGIN_DUPLICATE', `Plugin "${caller}" cannot resolve stored secrets: plugin "${this.secretResolver.plugin}" already does.`);
        this.secretResolver = { plugin: caller, resolver };
      },
    };
    for (const c of orderByDependencies(candidates)) {
      const { definition } = c;
      const validate = definition.optionsSchema ? this.ajv.compile(definition.optionsSchema) : null;
      const options = this.validatePluginOptions(definition.id, validate, c.options ?? {});
      const { api, registrations } = createPluginApi(deps, definition.id);
      try {
        await definition.setup(api, options);
      } catch (error) {
        throw createError('GW_ERR_PLUGIN_LOAD', `Plugin "${definition.id}" failed in setup: ${(error as Error).message}`, { cause: error });
      }
      this.plugins.push({ definition, registrations, validate, entryName: c.entryName });
    }
  }

  private validatePluginOptions(id: string, validate: ValidateFunction | null, options: Record<string, unknown>): Record<string, unknown> {
    if (!validate || validate(options)) return options;
    const problems = formatAjvErrors(validate.errors, options, { showValues: false });
    const lines = problems.map((p) => `  plugins[${id}].options${p.pointer}: ${p.message}`);
    throw createError('GW_ERR_CONFIG_INVALID', `Invalid options for plugin "${id}" in ${this.file.filepath}:\n${lines.join('\n')}`);
  }

  private async notifyConfig(config: GatewayConfig): Promise<void> {
    const entries = config.plugins;
    for (const plugin of this.plugins) {
      if (plugin.registrations.configListeners.length === 0) continue;
      const entry = entries.find((e) => e.name === plugin.entryName || e.name === plugin.definition.id);
      const options = this.validatePluginOptions(plugin.definition.id, plugin.validate, { ...(entry?.options ?? {}) });
      for (const listener of plugin.registrations.configListeners) await listener(options, { raw: config });
    }
  }

  /**
   * Re-read the config file and swap in the result atomically. An invalid file is logged
   * and the last good config keeps serving. Reloads never overlap.
   */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.reloadOnce());
    return this.reloading;
  }

  private async reloadOnce(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const file = await this.readFile();
      const config = await this.swap(file, this.runtime, true);
      this.log.info('config reloaded', { config: file.filepath, endpoints: config.endpoints.length, routes: config.routes.length });
      return true;
    } catch (error) {
      this.log.error('config reload rejected; the last good config keeps serving', { error: this.redactor.redact((error as Error).message) });
      return false;
    }
  }

  /** Replace a plugin's runtime entries through the reload path; a rejection names the entry and field. */
  private setRuntime(plugin: string, entries: RuntimeEntries): Promise<void> {
    const run = this.reloading.then(async () => {
      if (this.closed) throw createError('GW_ERR_SHUTTING_DOWN', 'The gateway is shutting down.', { retryAfter: 1 });
      const runtime = new Map(this.runtime).set(plugin, entries);
      try {
        await this.swap(this.file, runtime, false);
      } catch (error) {
        throw createError('GW_ERR_BAD_REQUEST', this.redactor.redact((error as Error).message), { cause: error });
      }
    });
    this.reloading = run.then(() => true, () => false);
    return run;
  }

  /** Build a snapshot from the file and runtime entries, then swap it in atomically. */
  private async swap(file: LoadedConfigFile, runtime: ReadonlyMap<string, RuntimeEntries>, fileChanged: boolean): Promise<GatewayConfig> {
    const { config, merged, own } = this.compile(file, runtime);
    if (fileChanged && pluginSetChanged(this.pluginEntries, config.plugins)) {
      this.log.warn('the plugins list changed: restart the gateway to load or unload plugins; other changes are applied now');
    }
    const next = await buildSnapshot(config, merged, this.registryServices(config), this.snapshotRef);
    // Plugin options come from the file only: a runtime change leaves them as they are.
    if (fileChanged) await this.notifyConfig(config);
    const previous = this.snapshotRef;
    this.file = file;
    this.runtime = runtime;
    this.fileEntries = own;
    this.snapshotRef = next;
    this.ensureDispatcher(config.server.upstream_connections);
    this.applyConfig(config);
    void previous.retire().then(() => closeUnused(previous, this.closed ? undefined : next, this.log));
    return config;
  }

  /** A new request context on the current snapshot. Callers must pair it with finish(). */
  createContext(init: Omit<ContextInit, 'snapshot' | 'rootLog' | 'id'> & { id?: string }): Context {
    if (this.closed || this.draining) throw createError('GW_ERR_SHUTTING_DOWN', 'The gateway is shutting down.', { retryAfter: 1 });
    const snapshot = this.snapshotRef;
    snapshot.acquire();
    this.inflight++;
    // Object.assign, not `{ ...init, id }` (README, Performance, Hidden classes).
    return new Context(Object.assign({}, init, { id: init.id ?? randomUUID(), snapshot, rootLog: this.log }));
  }

  execute(ctx: Context): Promise<PipelineResult> {
    return execute(this, ctx);
  }

  /** Map a failure for the reply: status, secret-free message; observers hear of it. */
  fail(ctx: Context, error: unknown): GatewayError {
    const safe = safeError(error, this.redactor);
    ctx.error = safe;
    ctx.status = safe.status;
    if (safe.status >= 500 && safe.code !== 'GW_ERR_UPSTREAM_ERROR') {
      const cause = (safe.cause ?? error) as Error | undefined;
      ctx.log.error('request failed', { code: safe.code, error: safe.message, cause: cause?.stack ?? String(cause) });
    }
    if (hasTaps(this.hooks.onError)) {
      runSeries(this.hooks.onError, ctx)?.catch((e: unknown) => ctx.log.warn('onError observer failed', { error: (e as Error).message }));
    }
    return safe;
  }

  /** The reply is sent: record the end, release the snapshot, run onResponse observers. */
  finish(ctx: Context, observe = true): void {
    ctx.timings.end ??= performance.now();
    ctx.status ??= 200;
    ctx.snapshot.release();
    if (observe && hasTaps(this.hooks.onResponse)) {
      runParallel(this.hooks.onResponse, ctx)?.catch((e: unknown) => ctx.log.warn('onResponse observer failed', { error: (e as Error).message }));
    }
    this.inflight--;
    if (this.inflight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /**
   * The caller of a route outside the pipeline (the model and endpoint listings): the
   * authenticate hook alone, with no endpoint named (`requested` is ''), and no observers (a
   * listing is not a usage record). Undefined while no plugin authenticates (auth is off);
   * an unrecognised caller is a 401, as in the pipeline.
   */
  async identify(surface: 'openai' | 'mlflow', headers: RequestContext['headers']): Promise<Principal | undefined> {
    if (!hasTaps(this.hooks.authenticate)) return undefined;
    const ctx = this.createContext({ surface, requested: '', headers, request: {} as RequestBody, stream: false });
    try {
      const principal = await runBail<Principal>(this.hooks.authenticate, ctx);
      if (!principal) throw createError('GW_ERR_UNAUTHENTICATED', 'Missing or unrecognised credentials.');
      return principal;
    } finally {
      this.finish(ctx, false);
    }
  }

  /** Call an endpoint through the pipeline on behalf of a plugin (auth is skipped: the caller is trusted code). */
  private async invoke(caller: string, endpoint: string, body: RequestBody, options: InvokeOptions = {}): Promise<InvokeResult> {
    const stream = (body as { stream?: unknown }).stream === true;
    const ctx = this.createContext({ surface: 'internal', requested: endpoint, headers: options.headers ?? {}, request: body, stream });
    ctx.principal = { id: `plugin:${caller}` };
    const abort = () => ctx.cancellation.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const result = await this.execute(ctx);
      if (result.kind === 'body') {
        this.finish(ctx);
        return { status: 200, body: result.body as ResponseBody };
      }
      const finish = () => this.finish(ctx);
      return { status: 200, chunks: finishAfter(result.chunks, finish) };
    } catch (error) {
      const safe = this.fail(ctx, error);
      this.finish(ctx);
      throw safe;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /** Number of requests in flight (streams included). */
  get inFlight(): number {
    return this.inflight;
  }

  /**
   * Stop taking new requests (they get 503) and resolve when none is in flight, or after
   * `timeoutMs`. Returns whether it drained.
   */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stop watching, run `close` hooks and plugin closers, close stores and the dispatcher. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unwatch?.();
    try {
      await this.hooks.close.promise({ log: this.log });
    } catch (error) {
      this.log.warn('a close hook failed', { error: (error as Error).message });
    }
    await this.dispose();
  }

  private async dispose(): Promise<void> {
    this.closed = true;
    for (const plugin of [...this.plugins].reverse()) {
      for (const closer of plugin.registrations.closers) {
        try {
          await closer();
        } catch (error) {
          this.log.warn('plugin failed to close', { plugin: plugin.definition.id, error: (error as Error).message });
        }
      }
    }
    await this.stores.closeAll((name, error) => this.log.warn('store failed to close', { store: name, error: (error as Error).message }));
    if (this.snapshotRef) await closeUnused(this.snapshotRef, undefined, this.log);
    this.counters.close?.();
    if (this.ownsDispatcher) await this.dispatcherRef?.close().catch(() => undefined);
    await this.connectPools?.close();
  }
}

async function* finishAfter(chunks: AsyncIterable<StreamChunk>, finish: () => void): AsyncGenerator<StreamChunk> {
  try {
    yield* chunks;
  } finally {
    finish();
  }
}

function readPluginEntries(file: LoadedConfigFile): PluginEntry[] {
  const raw = (file.raw as Record<string, unknown> | null)?.plugins;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    throw createError('GW_ERR_CONFIG_INVALID', `Invalid config ${file.filepath}:\n  /plugins: must be a list of package names or {name, options} entries`);
  }
  return raw.map((entry, i) => {
    if (typeof entry === 'string' && entry) return { name: entry };
    if (entry && typeof entry === 'object' && typeof (entry as PluginEntry).name === 'string') return entry as PluginEntry;
    throw createError('GW_ERR_CONFIG_INVALID', `Invalid config ${file.filepath}:\n  /plugins/${i}: must be a package name or an object with "name"`);
  });
}

function pluginSetChanged(before: readonly PluginEntry[], after: readonly PluginEntry[]): boolean {
  const key = (entries: readonly PluginEntry[]) => entries.map((e) => `${e.name}:${e.enabled !== false}`).sort().join('|');
  return key(before) !== key(after);
}

/** Dependencies first; otherwise the given order (explicit config entries, then discovery). */
function orderByDependencies<T extends { definition: PluginDefinition }>(items: readonly T[]): T[] {
  const byId = new Map(items.map((item) => [item.definition.id, item]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: T, chain: string[]) => {
    const id = item.definition.id;
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      throw createError('GW_ERR_PLUGIN_DEPENDENCY', `Plugin dependency cycle: ${[...chain, id].join(' -> ')}.`);
    }
    state.set(id, 'visiting');
    for (const dep of item.definition.dependencies ?? []) {
      const target = byId.get(dep);
      if (!target) {
        throw createError('GW_ERR_PLUGIN_DEPENDENCY', `Plugin "${id}" depends on plugin "${dep}", which is not installed or not enabled.`);
      }
      visit(target, [...chain, id]);
    }
    state.set(id, 'done');
    ordered.push(item);
  };
  for (const item of items) visit(item, []);
  return ordered;
}

export type { ContextInit };
