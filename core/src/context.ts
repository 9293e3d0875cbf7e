// The request context: one object per request, created by the HTTP adapter (or invoke()).
import type { Logger } from 'winston';
import type { Principal, RequestContext, RequestTimings, Surface, Target } from './api/context.js';
import type { RequestBody, ResponseBody, Usage } from './api/openai-types.js';
import type { GatewayError } from './errors.js';
import type { Snapshot } from './registry.js';
import type { Attempt } from './resilience/attempts.js';
import type { NativeCredential } from './api/native-routes.js';
import { Cancellation } from './cancellation.js';

/** Where OpenAI-style clients (the OpenAI SDK, Vercel AI SDK, LangChain) and Anthropic's 0.x SDK send keys. */
export const DEFAULT_CREDENTIALS: readonly NativeCredential[] = Object.freeze([
  { header: 'authorization', scheme: 'Bearer' },
  { header: 'x-api-key' },
]);

export interface ContextInit {
  readonly id: string;
  readonly surface: Surface;
  readonly requested: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly request: RequestBody;
  readonly stream: boolean;
  readonly snapshot: Snapshot;
  readonly rootLog: Logger;
  /** The endpoint type the route demands (/v1/chat/completions wants llm/v1/chat); undefined for invocations. */
  readonly expectedType?: Target['endpointType'];
  readonly start?: number;
  /** Where this surface's clients send their key (a native route's declaration); default DEFAULT_CREDENTIALS. */
  readonly credentials?: readonly NativeCredential[];
  /** Query parameters, for credentials sent as `?key=`. */
  readonly query?: Readonly<Record<string, string | string[] | undefined>>;
}

export class Context implements RequestContext {
  readonly id: string;
  readonly surface: Surface;
  readonly requested: string;
  // Set by core before any hook but onRequest runs (undefined only for unknown endpoints).
  target!: Target;
  readonly headers: RequestContext['headers'];
  request: RequestBody;
  readonly stream: boolean;
  principal?: Principal;
  usage?: Usage;
  response?: ResponseBody;
  status?: number;
  error?: GatewayError;
  readonly timings: RequestTimings;
  readonly responseHeaders: Record<string, string> = {};
  readonly state = new Map<string, unknown>();
  /** Aborted when the client goes away or the caller cancels; a real AbortSignal only on request. */
  readonly cancellation = new Cancellation();
  readonly snapshot: Snapshot;
  readonly expectedType: Target['endpointType'] | undefined;
  /** The client asked for the usage chunk on a stream. */
  readonly wantsUsage: boolean;
  /** The upstream attempt in progress: its signal and the endpoint's policy (core's own use). */
  attempt: Attempt | undefined = undefined;
  private readonly rootLog: Logger;
  private childLog: Logger | undefined;
  private readonly credentialSources: readonly NativeCredential[];
  private readonly query: ContextInit['query'];
  private credentialRef: string | null | undefined;

  constructor(init: ContextInit) {
    this.id = init.id;
    this.surface = init.surface;
    this.requested = init.requested;
    this.headers = init.headers;
    this.request = init.request;
    this.stream = init.stream;
    this.snapshot = init.snapshot;
    this.rootLog = init.rootLog;
    this.expectedType = init.expectedType;
    this.timings = { start: init.start ?? performance.now(), plugins: {} };
    const options = (init.request as { stream_options?: { include_usage?: boolean } | null }).stream_options;
    this.wantsUsage = options?.include_usage === true;
    this.credentialSources = init.credentials ?? DEFAULT_CREDENTIALS;
    this.query = init.query;
  }

  /** The key the caller presented, read once on first use (auth plugins); never log or forward it. */
  get credential(): string | undefined {
    if (this.credentialRef === undefined) this.credentialRef = readCredential(this.credentialSources, this.headers, this.query) ?? null;
    return this.credentialRef ?? undefined;
  }

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  /** Created on first use: most requests never log through it. */
  get log(): Logger {
    this.childLog ??= this.rootLog.child({ requestId: this.id });
    return this.childLog;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readCredential(
  sources: readonly NativeCredential[],
  headers: ContextInit['headers'],
  query: ContextInit['query'],
): string | undefined {
  for (const source of sources) {
    let value = 'header' in source ? first(headers[source.header]) : first(query?.[source.query]);
    if ('header' in source && source.scheme && value !== undefined) {
      const prefix = `${source.scheme.toLowerCase()} `;
      value = value.toLowerCase().startsWith(prefix) ? value.slice(prefix.length) : undefined;
    }
    value = value?.trim();
    if (value) return value;
  }
  return undefined;
}
