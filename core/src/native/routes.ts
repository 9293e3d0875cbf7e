// Native passthrough routes, collected once at start-up from every provider that declares them.
// What is stripped from each route's requests is computed here, once, not per request.
import type { NativeRouteDefinition } from '../api/native-routes.js';
import { ENDPOINT_TYPES } from '../api/openai-types.js';
import { createError } from '../errors.js';
import type { ProviderCatalog } from '../loader/provider-catalog.js';

/** Every native route is served under this prefix. */
const NATIVE_PREFIX = '/gateway';

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

// What a client may send that must never reach a provider: any protocol's key headers, cookies,
// and what describes the client's own connection (host, length, hop-by-hop headers, RFC 9110 §7.6.1).
const ALWAYS_STRIPPED: readonly string[] = [
  'authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

export interface MountedNativeRoute {
  /** Id of the provider that declared the route. */
  readonly provider: string;
  readonly route: NativeRouteDefinition;
  /** Where it is served: NATIVE_PREFIX + route.path. */
  readonly path: string;
  /** Lower-cased header names never forwarded to the handler. */
  readonly strippedHeaders: ReadonlySet<string>;
  /** Query parameters never forwarded (keys sent in the URL). */
  readonly strippedQuery: ReadonlySet<string>;
}

/** Load every provider that declares native routes, check the routes, and fix what each strips. */
export async function collectNativeRoutes(catalog: ProviderCatalog): Promise<readonly MountedNativeRoute[]> {
  const mounted: MountedNativeRoute[] = [];
  const owners = new Map<string, MountedNativeRoute>();
  for (const id of catalog.withNativeRoutes()) {
    const definition = await catalog.load(id);
    for (const route of definition.nativeRoutes ?? []) {
      checkRoute(id, route);
      const entry = mountRoute(id, route);
      const key = `${route.method} ${samePattern(entry.path)}`;
      const previous = owners.get(key);
      if (previous) {
        throw createError(
          'GW_ERR_PLUGIN_DUPLICATE',
          `Native route ${route.method} ${entry.path} is declared by both provider "${previous.provider}" and provider "${id}".`,
        );
      }
      owners.set(key, entry);
      mounted.push(entry);
    }
  }
  return Object.freeze(mounted);
}

function mountRoute(provider: string, route: NativeRouteDefinition): MountedNativeRoute {
  const headers = new Set(ALWAYS_STRIPPED);
  const query = new Set<string>();
  for (const credential of route.credentials ?? []) {
    if ('header' in credential) headers.add(credential.header.toLowerCase());
    else query.add(credential.query);
  }
  return Object.freeze({ provider, route, path: NATIVE_PREFIX + route.path, strippedHeaders: headers, strippedQuery: query });
}

function checkRoute(provider: string, route: NativeRouteDefinition): void {
  const problem = routeProblem(route);
  if (problem) {
    throw createError('GW_ERR_PLUGIN_LOAD', `Provider "${provider}": native route ${String(route.method)} ${String(route.path)}: ${problem}.`);
  }
}

function routeProblem(route: NativeRouteDefinition): string | undefined {
  if (!METHODS.includes(route.method)) return `method must be one of ${METHODS.join(', ')}`;
  if (typeof route.path !== 'string' || !route.path.startsWith('/')) return 'path must start with "/"';
  if (typeof route.handler !== 'string' || route.handler === '') return 'handler must name a native handler';
  if (!ENDPOINT_TYPES.includes(route.endpointType)) return `endpointType must be one of ${ENDPOINT_TYPES.join(', ')}`;
  return undefined;
}

/** '/a/:x/b' and '/a/:y/b' are the same route to express ('\:' is a literal colon, not a parameter). */
function samePattern(path: string): string {
  return path.replace(/(?<!\\):\w+/g, ':');
}
