// Native passthrough routes: a provider's own protocol (e.g. Anthropic's /v1/messages) served
// through the gateway. Declared by the provider; core mounts them without naming the provider.

export interface NativeRouteDefinition {
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path in express syntax, e.g. '/anthropic/v1/messages'. */
  readonly path: string;
  /** Name of the ProviderInstance.native handler that serves it. */
  readonly handler: string;
  /** Where the endpoint name is read from: the body field `model` by default. */
  readonly endpointFrom?: { body: string } | { param: string };
}

export interface NativeRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

export interface NativeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value, or a byte/text stream forwarded as it arrives. */
  readonly body?: unknown;
  readonly stream?: AsyncIterable<Uint8Array | string>;
}
