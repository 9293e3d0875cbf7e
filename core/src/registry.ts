// The live endpoints: an immutable snapshot built from one config. A hot reload builds a new
// snapshot and swaps it in; requests in flight keep the snapshot they started with.
import type { Dispatcher } from 'undici';
import type { Logger } from 'winston';
import type { Ajv, ValidateFunction } from 'ajv';
import type { ProviderDefinition, ProviderInstance } from './api/provider.js';
import type { Target } from './api/context.js';
import type { EndpointConfig, GatewayConfig, RouteConfig } from './config/types.js';
import type { LoadedConfigFile } from './config/load.js';
import { configError, sourcePointer } from './config/compile.js';
import { resolveOptions, secretRefs, type SecretResolver } from './config/secrets.js';
import { formatAjvErrors } from './validation/ajv.js';
import type { ProviderCatalog } from './loader/provider-catalog.js';
import type { Redactor } from './redact.js';
import type { Clock } from './api/provider.js';
import { resolvePolicy, type EndpointPolicy } from './resilience/policy.js';

export interface LiveEndpoint {
  readonly config: EndpointConfig;
  readonly instance: ProviderInstance;
  /** Built once: requests share it rather than allocating a target each. */
  readonly target: Target;
  /** Fingerprint of what the instance was built from, to reuse it across reloads. */
  readonly fingerprint: string;
}

export interface LiveRoute {
  readonly config: RouteConfig;
  /** Destinations with cumulative weights, for a weighted pick. */
  readonly picks: readonly { readonly until: number; readonly endpoint: LiveEndpoint }[];
  /** Per picked destination: the targets to try in order (the pick, its fallbacks, the route's). */
  readonly chains: ReadonlyMap<string, readonly Target[]>;
}

/** Per endpoint: its resilience policy and the targets to try in order (itself, then its fallbacks). */
export interface EndpointRouting {
  readonly policy: EndpointPolicy;
  readonly chain: readonly Target[];
}

export class Snapshot {
  private inflight = 0;
  private retired = false;
  private onDrained: (() => void) | undefined;

  constructor(
    readonly config: GatewayConfig,
    readonly endpoints: ReadonlyMap<string, LiveEndpoint>,
    readonly routes: ReadonlyMap<string, LiveRoute>,
    readonly routing: ReadonlyMap<string, EndpointRouting> = new Map(),
  ) {}

  /** The targets to try, in order, for a request that asked for `requested` and resolved to `first`. */
  chainFor(requested: string, first: Target): readonly Target[] {
    return this.routes.get(requested)?.chains.get(first.endpoint) ?? this.routing.get(first.endpoint)?.chain ?? [first];
  }

  policyFor(target: Target): EndpointPolicy {
    return this.routing.get(target.endpoint)!.policy;
  }

  /** The target for an endpoint or route name (a route picks a destination by weight). */
  resolve(name: string, random: () => number = Math.random): Target | undefined {
    const endpoint = this.endpoints.get(name);
    if (endpoint) return endpoint.target;
    const route = this.routes.get(name);
    if (!route) return undefined;
    const roll = random() * 100;
    for (const pick of route.picks) if (roll < pick.until) return pick.endpoint.target;
    return route.picks[route.picks.length - 1]?.endpoint.target;
  }

  instanceFor(target: Target): ProviderInstance {
    return this.endpoints.get(target.endpoint)!.instance;
  }

  acquire(): void {
    this.inflight++;
  }

  release(): void {
    this.inflight--;
    if (this.retired && this.inflight === 0) this.onDrained?.();
  }

  /** Resolves once no request uses this snapshot any more. */
  retire(): Promise<void> {
    this.retired = true;
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onDrained = resolve;
    });
  }
}

export interface RegistryServices {
  readonly catalog: ProviderCatalog;
  readonly ajv: Ajv;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly redactor: Redactor;
  readonly env: NodeJS.ProcessEnv;
  /** `$secret:NAME` references, when a plugin stores secrets. */
  readonly secrets?: SecretResolver;
  /** The dispatcher for an endpoint's connect timeout (the shared one when undefined). */
  readonly dispatcherFor?: (connectMs: number | undefined) => Dispatcher;
  /** server.upstream_timeout_seconds in ms: the default total timeout. */
  readonly upstreamTimeoutMs?: number;
}

const DEFAULT_TOTAL_TIMEOUT_MS = 300_000;

const optionValidators = new WeakMap<ProviderDefinition, ValidateFunction | null>();

function validatorFor(def: ProviderDefinition, ajv: Ajv): ValidateFunction | null {
  let validate = optionValidators.get(def);
  if (validate === undefined) {
    validate = def.optionsSchema ? ajv.compile(def.optionsSchema) : null;
    optionValidators.set(def, validate);
  }
  return validate;
}

type Problem = { pointer: string; message: string };

/**
 * Build a snapshot: find each endpoint's provider (importing it on first use), validate its
 * options against the provider's schema, resolve secrets, create the instance. Instances of
 * unchanged endpoints are reused from `previous`.
 */
export async function buildSnapshot(
  config: GatewayConfig,
  file: LoadedConfigFile,
  services: RegistryServices,
  previous?: Snapshot,
): Promise<Snapshot> {
  const problems: Problem[] = [];
  const endpoints = new Map<string, LiveEndpoint>();

  for (const endpoint of config.endpoints) {
    const pointer = sourcePointer.get(endpoint) ?? '/endpoints';
    const providerName = endpoint.model.provider;
    const providerId = services.catalog.idOf(providerName);
    if (!providerId) {
      problems.push({
        pointer: `${pointer}/model/provider`,
        message: `unknown provider "${providerName}" (installed: ${services.catalog.names().join(', ') || 'none'}). Install its package and add it to your package.json dependencies.`,
      });
      continue;
    }
    // A rotated stored secret changes its stamp, so the instance is rebuilt with the new value.
    const stamps = secretRefs(endpoint.model.config).map((name) => services.secrets?.stamp(name));
    const fingerprint = JSON.stringify([endpoint, providerId, stamps]);
    const reused = previous?.endpoints.get(endpoint.name);
    if (reused && reused.fingerprint === fingerprint) {
      endpoints.set(endpoint.name, reused);
      continue;
    }
    const def = await services.catalog.load(providerName);
    try {
      // Resolved first, so the provider's schema checks real values ($VAR in a URL field included).
      const options = await resolveOptions(endpoint.model.config ?? {}, def.secretOptions ?? [], {
        env: services.env,
        baseDir: file.filepath ? pathDir(file.filepath) : process.cwd(),
        redactor: services.redactor,
        pointer: `${pointer}/model/config`,
        file: file.filepath,
        secrets: services.secrets,
      });
      const validate = validatorFor(def, services.ajv);
      if (validate && !validate(options)) {
        for (const p of formatAjvErrors(validate.errors, options, { showValues: false })) {
          problems.push({ pointer: `${pointer}/model/config${p.pointer}`, message: p.message });
        }
        continue;
      }
      const model = endpoint.model.name ?? '';
      const connectMs = endpoint.timeouts?.connect_seconds === undefined ? undefined : Math.round(endpoint.timeouts.connect_seconds * 1000);
      const instance = await def.create(options, {
        dispatcher: services.dispatcherFor?.(connectMs) ?? services.dispatcher,
        logger: services.logger.child({ provider: providerId, endpoint: endpoint.name }),
        clock: services.clock,
        providerName,
        endpoint: endpoint.name,
        model,
      });
      const target: Target = Object.freeze({
        endpoint: endpoint.name,
        endpointType: endpoint.endpoint_type,
        provider: providerId,
        model,
        config: endpoint,
      });
      endpoints.set(endpoint.name, { config: endpoint, instance, target, fingerprint });
    } catch (error) {
      problems.push({ pointer: `${pointer}/model`, message: services.redactor.redact((error as Error).message) });
    }
  }

  const declared = new Set(config.endpoints.map((e) => e.name));
  const routing = buildRouting(config, endpoints, services.upstreamTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS, problems, declared);
  const routes = new Map<string, LiveRoute>();
  for (const route of config.routes) {
    const built = buildRoute(route, endpoints, routing, problems, declared);
    if (built) routes.set(route.name, built);
  }
  if (problems.length > 0) throw configError(file, problems);
  return new Snapshot(config, endpoints, routes, routing);
}

/** Fallback names must be other endpoints of the same type; a fallback's own fallbacks are not followed. */
function fallbackTargets(
  names: readonly string[] | undefined,
  type: string,
  self: string | undefined,
  endpoints: ReadonlyMap<string, LiveEndpoint>,
  pointer: string,
  problems: Problem[],
  declared: ReadonlySet<string>,
): Target[] {
  const targets: Target[] = [];
  (names ?? []).forEach((name, i) => {
    const endpoint = endpoints.get(name);
    if (!endpoint && declared.has(name)) return; // it failed to build: that problem is reported already
    if (!endpoint) {
      problems.push({ pointer: `${pointer}/fallbacks/${i}`, message: `no endpoint named "${name}" (fallbacks name endpoints, not routes)` });
    } else if (name === self) {
      problems.push({ pointer: `${pointer}/fallbacks/${i}`, message: `an endpoint cannot be its own fallback` });
    } else if (endpoint.config.endpoint_type !== type) {
      problems.push({ pointer: `${pointer}/fallbacks/${i}`, message: `endpoint "${name}" is ${endpoint.config.endpoint_type}, but this is ${type}` });
    } else {
      targets.push(endpoint.target);
    }
  });
  return targets;
}

function buildRouting(
  config: GatewayConfig,
  endpoints: ReadonlyMap<string, LiveEndpoint>,
  totalMs: number,
  problems: Problem[],
  declared: ReadonlySet<string>,
): Map<string, EndpointRouting> {
  const routing = new Map<string, EndpointRouting>();
  for (const endpoint of config.endpoints) {
    const live = endpoints.get(endpoint.name);
    if (!live) continue;
    const pointer = sourcePointer.get(endpoint) ?? '/endpoints';
    const fallbacks = fallbackTargets(endpoint.fallbacks, endpoint.endpoint_type, endpoint.name, endpoints, pointer, problems, declared);
    routing.set(endpoint.name, { policy: resolvePolicy(endpoint, totalMs), chain: Object.freeze([live.target, ...fallbacks]) });
  }
  return routing;
}

function pathDir(file: string): string {
  const index = file.lastIndexOf('/');
  return index > 0 ? file.slice(0, index) : '/';
}

/** MLflow's traffic-split checks: destinations exist, types match, percentages sum to 100. */
function buildRoute(
  route: RouteConfig,
  endpoints: ReadonlyMap<string, LiveEndpoint>,
  routing: ReadonlyMap<string, EndpointRouting>,
  problems: Problem[],
  declared: ReadonlySet<string>,
): LiveRoute | undefined {
  const pointer = sourcePointer.get(route) ?? '/routes';
  const picks: { until: number; endpoint: LiveEndpoint }[] = [];
  let total = 0;
  let ok = true;
  route.destinations.forEach((d, i) => {
    total += d.traffic_percentage;
    const endpoint = endpoints.get(d.name);
    if (!endpoint) {
      problems.push({ pointer: `${pointer}/destinations/${i}/name`, message: `no endpoint named "${d.name}"` });
      ok = false;
      return;
    }
    if (endpoint.config.endpoint_type !== route.task_type) {
      problems.push({
        pointer: `${pointer}/destinations/${i}/name`,
        message: `endpoint "${d.name}" is ${endpoint.config.endpoint_type}, but the route's task_type is ${route.task_type}`,
      });
      ok = false;
    }
    picks.push({ until: total, endpoint });
  });
  if (total !== 100) {
    problems.push({ pointer: `${pointer}/destinations`, message: `traffic_percentage values must sum to 100 (they sum to ${total})` });
    ok = false;
  }
  const routeFallbacks = fallbackTargets(route.fallbacks, route.task_type, undefined, endpoints, pointer, problems, declared);
  if (!ok) return undefined;
  const chains = new Map<string, readonly Target[]>();
  for (const { endpoint } of picks) {
    const own = routing.get(endpoint.target.endpoint)?.chain ?? [endpoint.target];
    chains.set(endpoint.target.endpoint, Object.freeze([...new Set([...own, ...routeFallbacks])]));
  }
  return { config: route, picks, chains };
}

/** Close the instances of `old` that `current` no longer uses. */
export async function closeUnused(old: Snapshot, current: Snapshot | undefined, log: Logger): Promise<void> {
  for (const [name, live] of old.endpoints) {
    if (current?.endpoints.get(name)?.instance === live.instance) continue;
    try {
      await live.instance.close?.();
    } catch (error) {
      log.warn('provider instance failed to close', { endpoint: name, error: (error as Error).message });
    }
  }
}
