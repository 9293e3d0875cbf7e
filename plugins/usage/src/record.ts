// One usage record per request, built from the request context once the reply is complete.
// It holds names, numbers and the caller's metadata; never a header or a credential, and
// bodies only when the config asks (redacted).
import { estimateTokens, type RequestContext, type Usage } from '@gatehousejs/core';
import { bodyUser, METADATA_HEADER, parseMetadata } from './metadata.js';
import { costNanoUsd, type PriceBook } from './prices.js';
import { recordId } from './record-id.js';

/** The stored form, the same in every store. */
export interface UsageRecord {
  /** The record's own id (request ids come from clients and may repeat). */
  readonly id: string;
  readonly request_id: string;
  /** When the request arrived, epoch ms. */
  readonly ts: number;
  readonly surface: string;
  /** The name the caller asked for: an endpoint, or a route whose pick is `endpoint`. */
  readonly route: string | null;
  readonly endpoint: string | null;
  readonly endpoint_type: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  /** The authenticated caller's id (a key id), never the credential. */
  readonly key: string | null;
  readonly user: string | null;
  readonly tags: readonly string[] | null;
  readonly stream: boolean;
  readonly status: number;
  readonly error_type: string | null;
  readonly error_code: string | null;
  readonly latency_ms: number;
  readonly upstream_ms: number | null;
  readonly overhead_ms: number | null;
  readonly ttft_ms: number | null;
  readonly prompt_tokens: number | null;
  readonly completion_tokens: number | null;
  readonly total_tokens: number | null;
  readonly cached_tokens: number | null;
  /** The provider reported no usage: the counts are core's estimate. */
  readonly tokens_estimated: boolean;
  /** Cost in nano-dollars; null when the model has no price. */
  readonly cost_nusd: number | null;
  readonly request_body: string | null;
  readonly response_body: string | null;
}

/** What the plugin gathers while a stream flows (see index.ts, transformChunk). */
export interface StreamTally {
  chars: number;
  text: string[] | undefined;
}

export interface RecordOptions {
  readonly prices: PriceBook;
  readonly recordBodies: boolean;
  readonly maxBodyBytes: number;
  readonly redact: <T>(value: T) => T;
}

const ms = (value: number) => Math.round(value * 1000) / 1000;

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '')).join(' ');
  return '';
}

/** The prompt's text, for an estimate when the provider reports no usage. */
function promptText(request: Record<string, unknown>): string {
  if (Array.isArray(request.messages)) return request.messages.map((m) => contentText((m as { content?: unknown })?.content)).join('\n');
  const input = request.prompt ?? request.input;
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) return input.filter((i) => typeof i === 'string').join('\n');
  return '';
}

function completionText(response: unknown): string {
  const choices = (response as { choices?: unknown[] } | undefined)?.choices;
  if (!Array.isArray(choices)) return '';
  return (choices as { message?: { content?: unknown }; text?: unknown }[]).map((c) => contentText(c.message?.content ?? c.text)).join('');
}

interface Tokens {
  prompt: number | null;
  completion: number | null;
  total: number | null;
  cached: number | null;
  estimated: boolean;
}

function tokensOf(ctx: RequestContext, tally: StreamTally | undefined): Tokens {
  const usage: Usage | undefined = ctx.usage;
  if (usage) {
    // A count the provider leaves out is none (embeddings have no completion tokens).
    const prompt = finite(usage.prompt_tokens) ?? 0;
    const completion = finite(usage.completion_tokens) ?? 0;
    const total = finite(usage.total_tokens) ?? prompt + completion;
    return { prompt, completion, total, cached: finite(usage.prompt_tokens_details?.cached_tokens), estimated: false };
  }
  // Estimate only what was actually produced: a success, or a stream that sent something.
  const produced = (ctx.status ?? 200) < 400 || (tally !== undefined && tally.chars > 0);
  if (!ctx.target || ctx.timings.upstreamStart === undefined || !produced) {
    return { prompt: null, completion: null, total: null, cached: null, estimated: false };
  }
  const prompt = estimateTokens(promptText(ctx.request as unknown as Record<string, unknown>));
  // A stream is tallied by length only; core's rule counts characters, so spaces stand in.
  const completion = estimateTokens(tally ? ''.padEnd(tally.chars) : completionText(ctx.response));
  return { prompt, completion, total: prompt + completion, cached: null, estimated: true };
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

function bodyText(value: unknown, options: RecordOptions): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(options.redact(value));
  if (text === undefined) return null;
  if (Buffer.byteLength(text) <= options.maxBodyBytes) return text;
  return `${Buffer.from(text).subarray(0, options.maxBodyBytes).toString('utf8')}…[truncated]`;
}

function streamedBody(tally: StreamTally | undefined): unknown {
  return tally?.text ? { stream: true, content: tally.text.join('') } : undefined;
}

export function buildRecord(ctx: RequestContext, tally: StreamTally | undefined, options: RecordOptions, nowPerf: number = performance.now()): UsageRecord {
  const t = ctx.timings;
  const end = t.end ?? nowPerf;
  const latency = end - t.start;
  // A failed upstream call has no upstreamEnd: it lasted until the failure was answered.
  const upstream = t.upstreamStart === undefined ? null : (t.upstreamEnd ?? end) - t.upstreamStart;
  const target = ctx.target as RequestContext['target'] | undefined;
  const metadata = parseMetadata(ctx.headers[METADATA_HEADER]);
  const given = metadata?.ok ? metadata.value : undefined;
  const user = given?.user ?? bodyUser(ctx.request);
  const tokens = tokensOf(ctx, tally);
  const price = target ? options.prices.lookup(target.provider, target.model) : undefined;
  const cost =
    price && tokens.prompt !== null
      ? costNanoUsd(price, { prompt: tokens.prompt, completion: tokens.completion ?? 0, cached: tokens.cached ?? 0 })
      : null;
  const redact = options.redact;
  return {
    id: recordId(),
    request_id: ctx.id,
    ts: Math.round(Date.now() - (nowPerf - t.start)),
    surface: ctx.surface,
    // The caller's own words: bounded like every other client-supplied field.
    route: ctx.requested ? redact(ctx.requested.slice(0, 256)) : null,
    endpoint: target?.endpoint ?? null,
    endpoint_type: target?.endpointType ?? null,
    provider: target?.provider ?? null,
    model: target?.model ?? null,
    key: ctx.principal?.id === undefined ? null : redact(String(ctx.principal.id)),
    user: user === undefined ? null : redact(user),
    tags: given?.tags ? redact([...given.tags]) : null,
    stream: ctx.stream,
    status: ctx.status ?? 200,
    error_type: ctx.error?.type ?? null,
    error_code: ctx.error?.code ?? null,
    latency_ms: ms(latency),
    upstream_ms: upstream === null ? null : ms(upstream),
    overhead_ms: ms(upstream === null ? latency : Math.max(0, latency - upstream)),
    ttft_ms: ctx.stream && t.firstChunk !== undefined ? ms(t.firstChunk - t.start) : null,
    prompt_tokens: tokens.prompt,
    completion_tokens: tokens.completion,
    total_tokens: tokens.total,
    cached_tokens: tokens.cached,
    tokens_estimated: tokens.estimated,
    cost_nusd: cost,
    request_body: options.recordBodies ? bodyText(ctx.request, options) : null,
    response_body: options.recordBodies ? bodyText(ctx.stream ? streamedBody(tally) : ctx.response, options) : null,
  };
}
