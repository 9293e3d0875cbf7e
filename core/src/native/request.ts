// Reading a native request: the endpoint name, the stream flag, and the NativeRequest a handler gets.
import type { NativeRequest, NativeRouteDefinition } from '../api/native-routes.js';
import { forwardableHeaders } from './headers.js';
import type { MountedNativeRoute } from './routes.js';

/** What the HTTP adapter hands over (express stops there). */
export interface NativeIncoming {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** As received, credentials included (auth plugins read them from ctx.headers). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  /** The client's own x-request-id, when it is valid. */
  readonly requestId: string | undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body field naming the endpoint, or undefined when a path parameter does. */
export function endpointField(route: NativeRouteDefinition): string | undefined {
  const from = route.endpointFrom ?? { body: 'model' };
  return 'body' in from ? from.body : undefined;
}

/** Where the endpoint name is expected, for messages ("'model'", "path parameter 'endpoint'"). */
export function endpointSource(route: NativeRouteDefinition): string {
  const from = route.endpointFrom ?? { body: 'model' };
  return 'body' in from ? `'${from.body}'` : `path parameter '${from.param}'`;
}

export function endpointName(route: NativeRouteDefinition, incoming: NativeIncoming): string | undefined {
  const from = route.endpointFrom ?? { body: 'model' };
  const value = 'param' in from ? incoming.params[from.param] : isObject(incoming.body) ? incoming.body[from.body] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function streamRequested(route: NativeRouteDefinition, body: unknown): boolean {
  const from = route.streamFrom ?? { body: 'stream' };
  if ('always' in from) return from.always;
  return isObject(body) && body[from.body] === true;
}

/** The request a handler sees: no client credential, the endpoint name replaced by the provider's model. */
export function nativeRequest(mounted: MountedNativeRoute, incoming: NativeIncoming, model: string, stream: boolean): NativeRequest {
  const field = endpointField(mounted.route);
  const body = field !== undefined && isObject(incoming.body) ? { ...incoming.body, [field]: model } : incoming.body;
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming.query)) if (!mounted.strippedQuery.has(name)) query[name] = value;
  return {
    method: incoming.method,
    path: incoming.path,
    params: incoming.params,
    query,
    headers: forwardableHeaders(incoming.headers, mounted.strippedHeaders),
    body,
    model,
    stream,
  };
}
