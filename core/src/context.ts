// The request context: one object per request, created by the HTTP adapter (or invoke()).
import type { Logger } from 'winston';
import type { Principal, RequestContext, RequestTimings, Surface, Target } from './api/context.js';
import type { RequestBody, ResponseBody, Usage } from './api/openai-types.js';
import type { GatewayError } from './errors.js';
import type { Snapshot } from './registry.js';
import type { Attempt } from './resilience/attempts.js';

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
  readonly controller = new AbortController();
  readonly snapshot: Snapshot;
  readonly expectedType: Target['endpointType'] | undefined;
  /** The client asked for the usage chunk on a stream. */
  readonly wantsUsage: boolean;
  /** The upstream attempt in progress: its signal and the endpoint's policy (core's own use). */
  attempt: Attempt | undefined = undefined;
  private readonly rootLog: Logger;
  private childLog: Logger | undefined;

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
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Created on first use: most requests never log through it. */
  get log(): Logger {
    this.childLog ??= this.rootLog.child({ requestId: this.id });
    return this.childLog;
  }
}
