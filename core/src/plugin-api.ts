// The `api` object a plugin's setup() receives: tap-only hooks, routes, CLI commands,
// config extensions, the endpoint registry, stores, invoke and lifecycle callbacks.
import type { Logger } from 'winston';
import type {
  ConfigExtension,
  EndpointRegistryView,
  InvokeOptions,
  InvokeResult,
  PluginApi,
  PluginCliCommand,
  PluginHooks,
  PluginRoute,
  RuntimeEntries,
  SecretResolver,
} from './api/plugin.js';
import type { RequestBody } from './api/openai-types.js';
import type { Clock, MaybePromise } from './api/provider.js';
import { HOOK_NAMES, type Hooks, type TapOptions } from './hooks.js';
import { CORE_ENDPOINT_KEYS, CORE_TOP_LEVEL_KEYS, type SchemaExtensions } from './config/schema.js';
import { createError } from './errors.js';
import type { Stores } from './stores.js';
import type { Redactor } from './redact.js';
import type { Counters } from './api/counters.js';
import { resolveOptions } from './config/secrets.js';

/** What setup() registered, collected per plugin. */
export interface PluginRegistrations {
  readonly id: string;
  readonly routes: PluginRoute[];
  readonly commands: PluginCliCommand[];
  readonly closers: (() => MaybePromise<void>)[];
  readonly configListeners: ((options: Record<string, unknown>, config: { readonly raw: Readonly<Record<string, unknown>> }) => MaybePromise<void>)[];
}

export interface PluginApiDeps {
  readonly hooks: Hooks;
  readonly log: Logger;
  readonly configDir: string;
  readonly extensions: SchemaExtensions;
  readonly endpoints: EndpointRegistryView;
  readonly stores: Stores;
  readonly redactor: Redactor;
  readonly counters: Counters;
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
  /** The config file's path, for messages. */
  readonly configFile: () => string;
  readonly invoke: (caller: string, endpoint: string, body: RequestBody, options?: InvokeOptions) => Promise<InvokeResult>;
  readonly fileEntries: () => RuntimeEntries;
  readonly setRuntime: (caller: string, entries: RuntimeEntries) => Promise<void>;
  readonly provideSecrets: (caller: string, resolver: SecretResolver) => void;
}

type AnyFn = (...args: unknown[]) => unknown;

function hookFacade(hooks: Hooks, pluginId: string): PluginHooks {
  const facade: Record<string, unknown> = {};
  for (const name of HOOK_NAMES) {
    const hook = hooks[name] as unknown as { tap: (o: object, fn: AnyFn) => void; tapPromise: (o: object, fn: AnyFn) => void };
    const sync = name === 'transformChunk';
    facade[name] = Object.freeze({
      tap(optionsOrFn: TapOptions | AnyFn, maybeFn?: AnyFn) {
        const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
        const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
        if (typeof fn !== 'function') throw createError('GW_ERR_PLUGIN_LOAD', `Plugin "${pluginId}": ${name}.tap needs a function.`);
        const tapName = options.name ? `${pluginId}:${options.name}` : pluginId;
        if (sync) hook.tap({ name: tapName, stage: options.stage }, fn);
        // tapPromise needs a promise back even from a plain function: the interceptor's wrapper
        // (hooks.ts) gives one, and turns a synchronous throw into a rejection.
        else hook.tapPromise({ name: tapName, stage: options.stage }, fn);
      },
    });
  }
  return Object.freeze(facade) as unknown as PluginHooks;
}

function extendSchema(extensions: SchemaExtensions, pluginId: string, extension: ConfigExtension): void {
  for (const [key, schema] of Object.entries(extension.topLevel ?? {})) {
    if (CORE_TOP_LEVEL_KEYS.includes(key) || key in extensions.topLevel) {
      throw createError('GW_ERR_PLUGIN_DUPLICATE', `Plugin "${pluginId}" cannot claim the top-level config key "${key}": it is already taken.`);
    }
    extensions.topLevel[key] = schema;
  }
  for (const [key, schema] of Object.entries(extension.endpoint ?? {})) {
    if (CORE_ENDPOINT_KEYS.includes(key) || key in extensions.endpoint) {
      throw createError('GW_ERR_PLUGIN_DUPLICATE', `Plugin "${pluginId}" cannot claim the endpoint config key "${key}": it is already taken.`);
    }
    extensions.endpoint[key] = schema;
  }
}

async function resolveSecret(deps: PluginApiDeps, value: string, pointer: string): Promise<string> {
  const cut = pointer.lastIndexOf('/');
  const key = pointer.slice(cut + 1);
  const ctx = { env: deps.env, baseDir: deps.configDir, redactor: deps.redactor, pointer: pointer.slice(0, cut), file: deps.configFile() };
  return (await resolveOptions({ [key]: value }, [key], ctx))[key] as string;
}

export function createPluginApi(deps: PluginApiDeps, id: string): { api: PluginApi; registrations: PluginRegistrations } {
  const registrations: PluginRegistrations = { id, routes: [], commands: [], closers: [], configListeners: [] };
  const api: PluginApi = Object.freeze({
    id,
    hooks: hookFacade(deps.hooks, id),
    log: deps.log.child({ plugin: id }),
    configDir: deps.configDir,
    onClose: (fn: () => MaybePromise<void>) => void registrations.closers.push(fn),
    onConfig: (fn: unknown) => void registrations.configListeners.push(fn as PluginRegistrations['configListeners'][number]),
    http: Object.freeze({ route: (route: PluginRoute) => void registrations.routes.push(route) }),
    cli: Object.freeze({ command: (command: PluginCliCommand) => void registrations.commands.push(command) }),
    config: Object.freeze({ extend: (extension: ConfigExtension) => extendSchema(deps.extensions, id, extension) }),
    endpoints: deps.endpoints,
    stores: deps.stores.registryFor(id),
    counters: deps.counters,
    clock: deps.clock,
    redact: <T>(value: T): T => (typeof value === 'string' ? (deps.redactor.redact(value) as T) : deps.redactor.redactValue(value)),
    resolveSecret: (value: string, pointer: string) => resolveSecret(deps, value, pointer),
    invoke: (endpoint: string, body: RequestBody, options?: InvokeOptions) => deps.invoke(id, endpoint, body, options),
    runtimeConfig: Object.freeze({ fileEntries: deps.fileEntries, set: (entries: RuntimeEntries) => deps.setRuntime(id, entries) }),
    secrets: Object.freeze({ provide: (resolver: SecretResolver) => deps.provideSecrets(id, resolver) }),
  });
  return { api, registrations };
}
