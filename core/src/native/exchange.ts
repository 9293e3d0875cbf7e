// One request on a native route, from the client's body to the reply. The gate (admit: onRequest,
// the target, auth, rate limits) always runs; then the target's native handler answers, or, for
// an endpoint of another provider, the route's translation runs the normal pipeline.
import type { NativeHandler } from '../api/provider.js';
import type { NativeRequest, NativeResponse, NativeTranslation } from '../api/native-routes.js';
import type { ChatChunk, ChatRequest, ChatResponse, RequestBody, ResponseBody } from '../api/openai-types.js';
import type { Context } from '../context.js';
import type { Gateway } from '../gateway.js';
import type { Snapshot } from '../registry.js';
import { admit, authorize, checkLimit } from '../pipeline.js';
import { callWithResilience } from '../resilience/attempts.js';
import type { EndpointPolicy } from '../resilience/policy.js';
import { createError } from '../errors.js';
import { answeredError, closingFrame, errorReply } from './errors.js';
import { replyHeaders } from './headers.js';
import { endpointField, endpointName, endpointSource, isObject, nativeRequest, streamRequested, type NativeIncoming } from './request.js';
import type { MountedNativeRoute } from './routes.js';
import { coreCallContext } from '../call-context.js';

export interface NativeReply {
  readonly status: number;
  /** The answer's own headers; the adapter adds x-request-id and Server-Timing. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** SSE text or bytes to write as they come; a failure inside arrives as the route's error frame. */
  readonly frames?: AsyncIterable<string | Uint8Array>;
}

const SSE_TYPE = 'text/event-stream; charset=utf-8';

/** One call to a native handler, with the target endpoint's timeouts. */
export function callNativeHandler(handler: NativeHandler, request: NativeRequest, ctx: Context, policy: EndpointPolicy): Promise<NativeResponse> {
  return handler(request, coreCallContext(ctx, ctx.cancellation, { timeoutMs: policy.totalMs, firstByteTimeoutMs: policy.firstByteMs, idleTimeoutMs: policy.idleMs }));
}

/**
 * Whether every endpoint `name` can resolve to (one, or each destination of a traffic split)
 * has the handler. An unknown name counts as served: the gate answers it with a 404.
 */
function servedNatively(snapshot: Snapshot, name: string, handler: string): boolean {
  const endpoint = snapshot.endpoints.get(name);
  const candidates = endpoint ? [endpoint] : (snapshot.routes.get(name)?.picks.map((pick) => pick.endpoint) ?? []);
  return candidates.every((candidate) => candidate.instance.native?.[handler] !== undefined);
}

export class NativeExchange {
  /** The handler's answer, kept for its usage tally. */
  private answer: NativeResponse | undefined;
  private answerHeaders: Record<string, string> = {};
  private handlerCalled = false;

  private constructor(
    private readonly gw: Gateway,
    private readonly mounted: MountedNativeRoute,
    private readonly incoming: NativeIncoming,
    readonly ctx: Context,
    private readonly translate: NativeTranslation | undefined,
    private readonly problem: unknown,
  ) {}

  /**
   * Create the request's context (pair with close()). Translation is chosen here, before the
   * context exists, because the context is built on the canonical request (its stream options
   * included). Throws only when the gateway takes no new requests.
   */
  static open(gw: Gateway, mounted: MountedNativeRoute, incoming: NativeIncoming, start: number): NativeExchange {
    const { route } = mounted;
    const { body } = incoming;
    const requested = endpointName(route, incoming) ?? '';
    const stream = streamRequested(route, body);
    let translate: NativeTranslation | undefined;
    let canonical: ChatRequest | undefined;
    let problem: unknown;
    if (!isObject(body) && endpointField(route) !== undefined) {
      problem = createError('GW_ERR_BAD_REQUEST', 'The request body must be a JSON object.');
    } else if (requested === '') {
      problem = createError('GW_ERR_BAD_REQUEST', `${endpointSource(route)} is required: the name of a Gatehouse endpoint or route.`, {
        param: endpointField(route),
      });
    } else if (route.translate && !servedNatively(gw.snapshot, requested, route.handler)) {
      translate = route.translate;
      try {
        canonical = { ...translate.toCanonical(body), model: requested, stream };
      } catch (error) {
        problem = error;
      }
    }
    const ctx = gw.createContext({
      id: incoming.requestId,
      surface: 'native',
      requested,
      headers: incoming.headers,
      // Observers see the native body on passthrough (ctx.surface tells them apart).
      request: (canonical ?? (isObject(body) ? body : {})) as RequestBody,
      stream,
      expectedType: route.endpointType,
      start,
      // Auth plugins read ctx.credential where this protocol's clients send their key.
      credentials: route.credentials,
      query: incoming.query,
    });
    return new NativeExchange(gw, mounted, incoming, ctx, translate, problem);
  }

  /** The answer, or the failure in the route's protocol. Never throws. */
  async reply(): Promise<NativeReply> {
    try {
      if (this.problem !== undefined) {
        // A body the translation refused: the caller still meets the gate first (auth fails closed).
        if (this.translate) await admit(this.gw, this.ctx);
        throw this.problem;
      }
      return this.translate ? await this.translated(this.translate) : await this.passthrough();
    } catch (error) {
      const failure = errorReply(this.mounted.route, this.gw.fail(this.ctx, error), this.handlerCalled);
      return { ...failure, headers: { ...this.answerHeaders, ...failure.headers } };
    }
  }

  /** The connection closed (after the reply, or because the client left): record and release, once. */
  close(clientLeft: boolean): void {
    const { ctx } = this;
    if (clientLeft) ctx.cancellation.abort(createError('GW_ERR_CLIENT_CLOSED', 'The client closed the connection.'));
    try {
      const usage = this.answer?.usage?.();
      if (usage) ctx.usage = usage;
    } catch (error) {
      ctx.log.warn('a native handler failed to report usage', { error: this.gw.redactor.redact(String((error as Error)?.message ?? error)) });
    }
    this.gw.finish(ctx);
  }

  private async passthrough(): Promise<NativeReply> {
    const { ctx, mounted } = this;
    const name = mounted.route.handler;
    await authorize(this.gw, ctx);
    if (!ctx.snapshot.instanceFor(ctx.target).native?.[name]) {
      throw createError(
        'GW_ERR_BAD_REQUEST',
        `Endpoint "${ctx.target.endpoint}" is served by provider "${ctx.target.provider}": ${mounted.route.method} ${mounted.path} serves only endpoints of provider "${mounted.provider}".`,
        { param: endpointField(mounted.route) },
      );
    }
    // Retries, breakers and fallbacks as on every route; fallbacks only to endpoints that speak this protocol.
    const answer = await callWithResilience(this.gw, ctx, checkLimit, {
      eligible: (target) => ctx.snapshot.instanceFor(target).native?.[name] !== undefined,
      attempt: (_hooks, c, policy) => this.callHandler(c, policy),
    });
    this.answer = answer;
    if (answer.stream) return this.streamed(answer.status, this.answerHeaders, answer.stream, true);
    ctx.timings.upstreamEnd = performance.now();
    ctx.status = answer.status;
    ctx.response = answer.body as ResponseBody;
    return { status: answer.status, headers: this.answerHeaders, body: answer.body };
  }

  /** One attempt: the target's handler; an error status becomes a coded error (retryable when 429 or 5xx). */
  private async callHandler(ctx: Context, policy: EndpointPolicy): Promise<NativeResponse> {
    const handler = ctx.snapshot.instanceFor(ctx.target).native![this.mounted.route.handler]!;
    const request = nativeRequest(this.mounted, this.incoming, ctx.target.model, ctx.stream);
    this.handlerCalled = true;
    ctx.timings.upstreamStart = performance.now();
    const answer = await callNativeHandler(handler, request, ctx, policy);
    this.answerHeaders = replyHeaders(answer.headers);
    if (answer.status >= 400) {
      ctx.timings.upstreamEnd = performance.now();
      throw answeredError(this.mounted.provider, answer.status, answer.body, this.answerHeaders);
    }
    return answer;
  }

  /** The canonical pipeline (validation, transforms, fallbacks, usage) and back into the protocol. */
  private async translated(translate: NativeTranslation): Promise<NativeReply> {
    const { ctx } = this;
    const result = await this.gw.execute(ctx);
    if (result.kind === 'stream') {
      return this.streamed(200, {}, translate.streamFromCanonical(result.chunks as AsyncIterable<ChatChunk>, ctx.requested), false);
    }
    ctx.status = 200;
    return { status: 200, headers: {}, body: translate.fromCanonical(result.body as ChatResponse, ctx.requested) };
  }

  /** The first frame is pulled before the status goes out, so an early failure still gets its real status. */
  private async streamed(
    status: number,
    headers: Readonly<Record<string, string>>,
    source: AsyncIterable<string | Uint8Array>,
    timesUpstream: boolean,
  ): Promise<NativeReply> {
    const iterator = source[Symbol.asyncIterator]();
    const first = await iterator.next();
    const now = performance.now();
    if (timesUpstream) this.ctx.timings.upstreamFirstByte = now;
    this.ctx.timings.firstChunk = now;
    this.ctx.status = status;
    return { status, headers: { 'content-type': SSE_TYPE, ...headers }, frames: this.relay(first, iterator, timesUpstream) };
  }

  private async *relay(
    first: IteratorResult<string | Uint8Array>,
    rest: AsyncIterator<string | Uint8Array>,
    timesUpstream: boolean,
  ): AsyncGenerator<string | Uint8Array> {
    let step = first;
    let settled = false;
    try {
      while (!step.done) {
        yield step.value;
        step = await rest.next();
      }
      settled = true;
    } catch (error) {
      settled = true;
      yield closingFrame(this.mounted.route, error, this.gw.fail(this.ctx, error));
    } finally {
      // The writer stopped early (the client left): free the upstream.
      if (!settled) await rest.return?.();
      if (timesUpstream) this.ctx.timings.upstreamEnd = performance.now();
    }
  }
}
