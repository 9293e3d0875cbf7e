// Answers from OpenAI-compatible servers, brought to the exact canonical shape. OpenAI itself
// needs nothing; other servers leave out ids, `created`, `model` or usage totals. The parsed
// body is ours, so it is completed in place rather than copied. Every change is counted: an
// answer that needed none keeps the upstream's bytes for the reply (core's verbatim.ts).
import {
  createError,
  dropVerbatim,
  generateId,
  lazyBase64Vector,
  type ChatResponse,
  type CompletionsResponse,
  type EmbeddingsResponse,
  type GatewayError,
  type Usage,
} from '@gatehousejs/core';
import { isReportedError, reportedError } from './reported-error.js';

export interface NormalizeContext {
  /** Name for messages. */
  readonly provider: string;
  /** The model the request named, for answers that leave it out. */
  readonly model: string;
  /** Unix seconds, for answers without `created`. */
  readonly now: () => number;
}

type Json = Record<string, unknown>;

/** Changes made by the normalisation in progress (it runs synchronously, one at a time). */
let edits = 0;

function badResponse(provider: string, what: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${provider} ${what}.`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer as an object holding the list `key`, or the reason it is not one. */
function answerObject(body: unknown, key: 'choices' | 'data', ctx: NormalizeContext): Json {
  if (!isObject(body)) throw badResponse(ctx.provider, 'answered with JSON that is not an object');
  if (isReportedError(body)) throw reportedError(JSON.stringify(body), ctx.provider, 'answer');
  if (!Array.isArray(body[key])) throw badResponse(ctx.provider, `answered without a "${key}" list`);
  for (const item of body[key] as unknown[]) {
    if (!isObject(item)) throw badResponse(ctx.provider, `answered with a "${key}" entry that is not an object`);
  }
  return body;
}

/** Fill the envelope fields a server left out; `object` is always set to the canonical name. */
export function fillEnvelope(body: Json, object: string, idPrefix: string, ctx: NormalizeContext): void {
  if (body.object !== object) {
    body.object = object;
    edits++;
  }
  if (typeof body.id !== 'string' || body.id === '') {
    body.id = generateId(idPrefix);
    edits++;
  }
  if (typeof body.created !== 'number' || body.created <= 0) {
    body.created = ctx.now();
    edits++;
  }
  if (typeof body.model !== 'string' || body.model === '') {
    body.model = ctx.model;
    edits++;
  }
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Usage with all three counts (`total_tokens` computed when missing); undefined when the server sent none. */
export function normalizeUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  if (usage.prompt_tokens !== prompt || usage.completion_tokens !== completion) {
    usage.prompt_tokens = prompt;
    usage.completion_tokens = completion;
    edits++;
  }
  if (typeof usage.total_tokens !== 'number') {
    usage.total_tokens = prompt + completion;
    edits++;
  }
  return usage as unknown as Usage;
}

function setUsage(body: Json): void {
  if (normalizeUsage(body.usage) === undefined && 'usage' in body) {
    delete body.usage;
    edits++;
  }
}

export function normalizeChatResponse(raw: unknown, ctx: NormalizeContext): ChatResponse {
  const body = answerObject(raw, 'choices', ctx);
  fillEnvelope(body, 'chat.completion', 'chatcmpl', ctx);
  (body.choices as Json[]).forEach((choice, i) => {
    const message = choice.message;
    if (!isObject(message)) throw badResponse(ctx.provider, 'answered with a choice without a message');
    fillChoice(choice, i);
    if (message.role === undefined || message.role === null) {
      message.role = 'assistant';
      edits++;
    }
    if (message.content === undefined) {
      message.content = null;
      edits++;
    }
  });
  setUsage(body);
  return body as ChatResponse;
}

/** A choice's index (its position when missing) and finish_reason (null while unfinished). */
function fillChoice(choice: Json, i: number): void {
  if (typeof choice.index !== 'number') {
    choice.index = i;
    edits++;
  }
  if (choice.finish_reason === undefined) {
    choice.finish_reason = null;
    edits++;
  }
}

/**
 * `normalize` applied to an answer parsed with core's parseJsonVerbatim: the upstream's bytes
 * stay marked on it only if the normalisation changed nothing.
 */
export function normalizeVerbatim<T>(normalize: (raw: unknown, ctx: NormalizeContext) => T, raw: unknown, ctx: NormalizeContext): T {
  edits = 0;
  const body = normalize(raw, ctx);
  if (edits > 0) dropVerbatim(body);
  return body;
}

export function normalizeCompletionsResponse(raw: unknown, ctx: NormalizeContext): CompletionsResponse {
  const body = answerObject(raw, 'choices', ctx);
  fillEnvelope(body, 'text_completion', 'cmpl', ctx);
  (body.choices as Json[]).forEach((choice, i) => {
    if (typeof choice.text !== 'string') throw badResponse(ctx.provider, 'answered with a completion choice without text');
    fillChoice(choice, i);
  });
  setUsage(body);
  return body as CompletionsResponse;
}

export function normalizeEmbeddingsResponse(raw: unknown, ctx: NormalizeContext): EmbeddingsResponse {
  const body = answerObject(raw, 'data', ctx);
  if (body.object !== 'list') {
    body.object = 'list';
    edits++;
  }
  if (typeof body.model !== 'string' || body.model === '') {
    body.model = ctx.model;
    edits++;
  }
  const data = body.data as Json[];
  let ordered = true;
  data.forEach((item, i) => {
    if (item.object !== 'embedding') {
      item.object = 'embedding';
      edits++;
    }
    if (typeof item.index !== 'number') {
      item.index = i;
      edits++;
    }
    // Core promises float vectors to every route; a server that answers base64 anyway is decoded.
    // (Kept as its base64 until read: a client that asked for base64 gets it back as it came.)
    if (typeof item.embedding === 'string') {
      item.embedding = lazyBase64Vector(item.embedding);
      edits++;
    }
    if (!Array.isArray(item.embedding)) throw badResponse(ctx.provider, 'answered with an embedding that is not a vector');
    if (i > 0 && (data[i - 1]!.index as number) > (item.index as number)) ordered = false;
  });
  if (!ordered) {
    data.sort((a, b) => (a.index as number) - (b.index as number));
    edits++;
  }
  if (isObject(body.usage)) {
    const prompt = count(body.usage.prompt_tokens);
    if (body.usage.prompt_tokens !== prompt) {
      body.usage.prompt_tokens = prompt;
      edits++;
    }
    if (typeof body.usage.total_tokens !== 'number') {
      body.usage.total_tokens = prompt;
      edits++;
    }
  } else if ('usage' in body) {
    delete body.usage;
    edits++;
  }
  return body as EmbeddingsResponse;
}
