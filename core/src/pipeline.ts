// The request pipeline: the order in which hooks run, from a resolved name to a reply.
// Surface-agnostic: the HTTP adapter formats what this returns.
import { hasTaps, type Hooks, type ProviderReply, type RateLimitDenial } from './hooks.js';
import { runBail, runSeries, runWaterfall } from './hook-runner.js';
import type { Principal } from './api/context.js';
import type { Context } from './context.js';
import type { ResponseBody, StreamChunk, EmbeddingsResponse, EmbeddingsRequest } from './api/openai-types.js';
import { createError, toGatewayError, type GatewayError } from './errors.js';
import { validateRequest } from './validation/requests.js';
import { encodeEmbeddings } from './embeddings-encoding.js';
import type { Redactor } from './redact.js';
import type { CircuitBreakers } from './resilience/breaker.js';
import { callWithResilience } from './resilience/attempts.js';
import { coreCallContext } from './call-context.js';
import { copyOwn } from './util/copy.js';
import { mapChunks, SKIP } from './streaming/map-chunks.js';
import { dropVerbatim } from './verbatim.js';

export interface PipelineDeps {
  readonly hooks: Hooks;
  readonly redactor: Redactor;
  readonly breakers: CircuitBreakers;
  /** server.max_upstream_attempts */
  readonly maxUpstreamAttempts: number;
}

export type PipelineResult =
  | { readonly kind: 'body'; readonly body: ResponseBody }
  | { readonly kind: 'stream'; readonly chunks: AsyncIterable<StreamChunk> };

/** Resolve the requested name into ctx.target (a route's pick included) and check its type. */
export function resolveTarget(ctx: Context): void {
  const target = ctx.snapshot.resolve(ctx.requested);
  if (!target) {
    throw createError('GW_ERR_ENDPOINT_NOT_FOUND', `No endpoint or route named "${ctx.requested}". GET /v1/models lists them.`, { param: 'model' });
  }
  if (ctx.expectedType && target.endpointType !== ctx.expectedType) {
    throw createError(
      'GW_ERR_ENDPOINT_TYPE_MISMATCH',
      `Endpoint "${ctx.requested}" is of type ${target.endpointType}; this route needs an endpoint of type ${ctx.expectedType}.`,
      { param: 'model' },
    );
  }
  ctx.target = target;
}

/**
 * The gate every surface shares (native passthrough routes included): onRequest, the target,
 * authentication, rate limits. Throws GatewayErrors.
 */
export async function admit(deps: PipelineDeps, ctx: Context): Promise<void> {
  await authorize(deps, ctx);
  await checkLimit(deps, ctx);
}

/** Whether a hook call's answer is still to come (a tap answered with a promise). */
const isPending = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';

/**
 * onRequest, the target (a route's pick), authentication. A name that does not resolve (or is of
 * another type) is reported only to a caller who passed authentication: an unknown caller learns
 * nothing about which endpoints exist. Synchronous (undefined, or a throw) when every tap answers
 * at once, as the built-in ones do: a promise only when a tap is asynchronous.
 */
export function authorize(deps: PipelineDeps, ctx: Context): Promise<void> | undefined {
  const { hooks } = deps;
  if (hasTaps(hooks.onRequest)) {
    const started = runSeries(hooks.onRequest, ctx);
    if (isPending(started)) return Promise.resolve(started).then(() => identify(deps, ctx));
  }
  return identify(deps, ctx);
}

function identify(deps: PipelineDeps, ctx: Context): Promise<void> | undefined {
  const { hooks } = deps;
  let unresolved: unknown;
  try {
    resolveTarget(ctx);
  } catch (error) {
    unresolved = error;
  }
  // invoke() from a plugin is trusted code on the gateway's side: it carries its own principal.
  if (ctx.surface !== 'internal' && hasTaps(hooks.authenticate)) {
    const principal = runBail<Principal>(hooks.authenticate, ctx);
    if (isPending(principal)) return Promise.resolve(principal).then((p) => admitCaller(ctx, p, unresolved));
    admitCaller(ctx, principal, unresolved);
    return undefined;
  }
  if (unresolved !== undefined) throw unresolved;
  return undefined;
}

function admitCaller(ctx: Context, principal: Principal | undefined, unresolved: unknown): void {
  // Auth is on once any plugin taps authenticate: an unrecognised caller is refused (fail closed).
  if (!principal) throw createError('GW_ERR_UNAUTHENTICATED', 'Missing or unrecognised credentials.');
  ctx.principal = principal;
  if (unresolved !== undefined) throw unresolved;
}

/** The rateLimit hook for ctx.target: throws the denial (synchronously when every tap answered at once). */
export function checkLimit(deps: PipelineDeps, ctx: Context): Promise<void> | undefined {
  const { hooks } = deps;
  if (!hasTaps(hooks.rateLimit)) return undefined;
  const denial = runBail<RateLimitDenial>(hooks.rateLimit, ctx);
  if (isPending(denial)) return Promise.resolve(denial).then((d) => deny(ctx, d));
  deny(ctx, denial);
  return undefined;
}

function deny(ctx: Context, denial: RateLimitDenial | undefined): void {
  if (!denial) return;
  Object.assign(ctx.responseHeaders, denial.headers);
  throw createError('GW_ERR_RATE_LIMITED', denial.message, { retryAfter: denial.retryAfter });
}

/** Everything up to the provider's answer. Throws GatewayErrors; the adapter maps them. */
export async function execute(deps: PipelineDeps, ctx: Context): Promise<PipelineResult> {
  const { hooks } = deps;
  const authorizing = authorize(deps, ctx);
  if (authorizing) await authorizing;

  const invalid = validateRequest(ctx.target.endpointType, ctx.request);
  if (invalid) throw invalid;

  if (hasTaps(hooks.transformRequest)) ctx.request = await runWaterfall(hooks.transformRequest, ctx.request, ctx);

  // Rate limits are checked per target inside: a fallback counts against its own endpoint.
  const reply = await callWithResilience(deps, ctx, checkLimit);
  if (reply.kind === 'stream') {
    return { kind: 'stream', chunks: deliverChunks(hooks, ctx, reply.chunks) };
  }
  let body = reply.body;
  if (hasTaps(hooks.transformResponse)) {
    // A tap may edit the answer in place: the upstream's bytes no longer stand for it.
    dropVerbatim(body);
    body = await runWaterfall(hooks.transformResponse, body, ctx);
  }
  if (ctx.target.endpointType === 'llm/v1/embeddings') {
    // Vectors asked for as base64 come back in a copy (without the mark); floats as they are.
    body = encodeEmbeddings(body as EmbeddingsResponse, (ctx.request as EmbeddingsRequest).encoding_format);
  }
  ctx.usage ??= (body as { usage?: Context['usage'] }).usage;
  ctx.response = body;
  return { kind: 'body', body };
}

/**
 * Core's own callProvider tap (STAGE.LATE, so a cache plugin can answer first): call the
 * target's provider instance with the request rewritten to the provider's model.
 */
export function callTargetProvider(ctx: Context, upstreamTimeoutMs: number): Promise<ProviderReply> {
  const instance = ctx.snapshot.instanceFor(ctx.target);
  const type = ctx.target.endpointType;
  const request = copyOwn(ctx.request) as Record<string, unknown>;
  request.model = ctx.target.model;
  const attempt = ctx.attempt;
  const call = attempt
    ? coreCallContext(ctx, attempt.cancel, { timeoutMs: attempt.policy.totalMs, firstByteTimeoutMs: attempt.policy.firstByteMs, idleTimeoutMs: attempt.policy.idleMs })
    : coreCallContext(ctx, ctx.cancellation, { timeoutMs: upstreamTimeoutMs });
  const unsupported = (what: string) =>
    createError('GW_ERR_NOT_IMPLEMENTED', `Provider "${ctx.target.provider}" (endpoint "${ctx.target.endpoint}") does not support ${what}.`);

  ctx.timings.upstreamStart = performance.now();
  if (type === 'llm/v1/embeddings') {
    if (!instance.embeddings) return Promise.reject(unsupported('llm/v1/embeddings'));
    // Providers return float vectors (arrays); core applies encoding_format for all of them. A
    // provider whose upstream speaks OpenAI's base64 may ask it for base64 when the client did:
    // its vectors then go back as they came (see lazyBase64Vector).
    if (!(request.encoding_format === 'base64' && instance.capabilities?.base64Embeddings === true)) delete request.encoding_format;
    return instance.embeddings(request as never, call).then((body) => done(ctx, body));
  }
  const chat = type === 'llm/v1/chat';
  if (ctx.stream) {
    type StreamMethod = (req: never, c: typeof call) => AsyncIterable<StreamChunk> | Promise<AsyncIterable<StreamChunk>>;
    const method = (chat ? instance.chatStream : instance.completionsStream) as StreamMethod | undefined;
    if (!method) return Promise.reject(unsupported(`streaming on ${type}`));
    // Always ask for usage so it can be recorded; the chunk reaches the client only if it asked.
    request.stream_options = { ...(request.stream_options as object | undefined), include_usage: true };
    return Promise.resolve(method.call(instance, request as never, call)).then((chunks) => ({ kind: 'stream', chunks }) as ProviderReply);
  }
  type BodyMethod = (req: never, c: typeof call) => Promise<ResponseBody>;
  const method = (chat ? instance.chat : instance.completions) as BodyMethod | undefined;
  if (!method) return Promise.reject(unsupported(type));
  return method.call(instance, request as never, call).then((body) => done(ctx, body));
}

function done(ctx: Context, body: ResponseBody): ProviderReply {
  ctx.timings.upstreamEnd = performance.now();
  return { kind: 'body', body };
}

/** Capture usage, drop the usage chunk the client did not ask for, run transformChunk if tapped. */
function deliverChunks(hooks: Hooks, ctx: Context, chunks: AsyncIterable<StreamChunk>): AsyncIterable<StreamChunk> {
  const transform = hasTaps(hooks.transformChunk);
  let first = true;
  const deliver = (upstream: StreamChunk): StreamChunk | typeof SKIP => {
    let chunk = upstream;
    if (first) {
      ctx.timings.upstreamFirstByte = performance.now();
      first = false;
    }
    if (chunk.usage) {
      ctx.usage = chunk.usage;
      if (!ctx.wantsUsage) {
        if (chunk.choices.length === 0) return SKIP;
        chunk = copyOwn(chunk, 'usage');
      }
    }
    return transform ? hooks.transformChunk.call(chunk, ctx) : chunk;
  };
  return mapChunks(chunks, deliver, () => {
    ctx.timings.upstreamEnd = performance.now();
  });
}

/** Map any failure to a GatewayError whose message carries no secret. */
export function safeError(error: unknown, redactor: Redactor): GatewayError {
  const gw = toGatewayError(error);
  const message = redactor.redact(gw.message);
  // The upstream body can hold a key even where the message does not (native routes answer with it).
  const upstreamBody = gw.upstreamBody === undefined ? undefined : redactor.redactValue(gw.upstreamBody);
  if (message === gw.message && JSON.stringify(upstreamBody) === JSON.stringify(gw.upstreamBody)) return gw;
  return createError(gw.code, message, {
    status: gw.status,
    param: gw.param,
    retryAfter: gw.retryAfter,
    type: gw.type,
    cause: gw,
    upstreamBody,
  });
}

