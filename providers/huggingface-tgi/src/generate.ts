// Completions (and chat with `hf_chat_api: generate`) through TGI's POST /generate:
// {inputs, parameters} → {generated_text, details: {finish_reason, generated_tokens, prefill}}.
// Reference: https://huggingface.github.io/text-generation-inference/ (operation `generate`).
import type { Dispatcher } from 'undici';
import {
  createError,
  estimateTokens,
  generateId,
  requestJson,
  translateParams,
  type CallContext,
  type ChatRequest,
  type ChatResponse,
  type CompletionsRequest,
  type CompletionsResponse,
  type FinishReason,
  type ParamMap,
  type Usage,
} from '@gatehousejs/core';
import { checkFanOut, choiceCount, fanOut, seedFor, sumUsage } from './fanout.js';
import { GENERATE_PARAMS, withSampling } from './params.js';
import { cutAtStop, stopSequences } from './stop.js';
import { chatStops, renderChat } from './template.js';
import type { TGIGenerateResponse } from './wire.js';

export const PROVIDER_LABEL = 'Hugging Face TGI';

/** What the /generate and /generate_stream calls of one endpoint share; made once, in create(). */
export interface GenerateContext {
  readonly dispatcher: Dispatcher;
  readonly generateUrl: string;
  readonly streamUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The provider name as configured, for 400 messages. */
  readonly providerName: string;
  /** The endpoint's model name, for answers. */
  readonly model: string;
  /** Unix seconds. */
  readonly now: () => number;
}

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['length', 'length'],
  ['eos_token', 'stop'],
  ['stop_sequence', 'stop'],
]);

/** TGI's finish_reason → OpenAI's; a reason added later reads as 'stop'. */
export function finishReason(reason: unknown): FinishReason {
  return (typeof reason === 'string' ? FINISH_REASONS.get(reason) : undefined) ?? 'stop';
}

/** One generated sequence. */
export interface Generation {
  readonly text: string;
  readonly finish: FinishReason;
  readonly usage: Usage;
}

/** What one call sends: the prompt and TGI's `parameters` (stop sequences as a list). */
export interface GenerateCall {
  readonly inputs: string;
  readonly parameters: Record<string, unknown>;
  readonly stops: readonly string[];
}

function badAnswer(what: string): Error {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${what}.`);
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** Read a /generate answer (an object; the compat route's one-element list is accepted too). */
export function readGeneration(raw: unknown, inputs: string, stops: readonly string[]): Generation {
  const body = (Array.isArray(raw) && raw.length === 1 ? raw[0] : raw) as TGIGenerateResponse | null;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badAnswer('answered with JSON that is not an object');
  if (typeof body.generated_text !== 'string') throw badAnswer('answered without "generated_text"');
  const details = typeof body.details === 'object' && body.details !== null ? body.details : undefined;
  const stopped = details?.finish_reason === 'stop_sequence';
  const text = stopped ? cutAtStop(body.generated_text, stops) : body.generated_text;
  // prefill lists the prompt's tokens when decoder_input_details is on; else the count is estimated.
  const prompt = Array.isArray(details?.prefill) && details.prefill.length > 0 ? details.prefill.length : estimateTokens(inputs);
  const completion = count(details?.generated_tokens) ?? estimateTokens(body.generated_text);
  return {
    text,
    finish: finishReason(details?.finish_reason),
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/** POST /generate once. */
export async function generateOnce(ctx: GenerateContext, one: GenerateCall, call: CallContext): Promise<Generation> {
  const raw = await requestJson<unknown>(
    ctx.dispatcher,
    { provider: PROVIDER_LABEL, url: ctx.generateUrl, headers: ctx.headers, body: { inputs: one.inputs, parameters: one.parameters } },
    call,
  );
  return readGeneration(raw, one.inputs, one.stops);
}

/** TGI's `parameters` for a request, through the table; `stops` replaces the request's stop list. */
export function parametersFor(map: ParamMap, request: Readonly<Record<string, unknown>>, providerName: string, stops: readonly string[]): Record<string, unknown> {
  const parameters = withSampling(translateParams(map, request, providerName), request.temperature);
  if (stops.length > 0) parameters.stop = [...stops];
  else delete parameters.stop;
  return parameters;
}

/** The prompts of a completions request: a string or a list of strings (token ids are refused). */
export function promptsOf(prompt: unknown, providerName: string): string[] {
  const list = typeof prompt === 'string' ? [prompt] : prompt;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p): p is string => typeof p === 'string')) {
    throw createError('GW_ERR_BAD_REQUEST', `prompt: TGI takes text prompts (a string or a list of strings) (provider ${providerName}).`, {
      param: 'prompt',
    });
  }
  return list;
}

/** Run the calls for `prompts` × n choices in parallel; choice k is prompt ⌊k/n⌋, seed + k mod n. */
async function generateChoices(ctx: GenerateContext, prompts: readonly string[], n: number, parameters: Record<string, unknown>, stops: readonly string[], call: CallContext) {
  checkFanOut(prompts.length * n, ctx.providerName);
  return fanOut(prompts.length * n, call, (k, child) => {
    const seed = seedFor(parameters.seed, k % n);
    return generateOnce(ctx, { inputs: prompts[Math.floor(k / n)]!, parameters: seed === undefined ? parameters : { ...parameters, seed }, stops }, child);
  });
}

export async function completions(ctx: GenerateContext, request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
  const prompts = promptsOf(request.prompt, ctx.providerName);
  const n = choiceCount(request.n, ctx.providerName);
  const stops = stopSequences(request.stop);
  const parameters = parametersFor(GENERATE_PARAMS, request, ctx.providerName, stops);
  const results = await generateChoices(ctx, prompts, n, parameters, stops, call);
  return {
    id: generateId('cmpl'),
    object: 'text_completion',
    created: ctx.now(),
    model: request.model || ctx.model,
    choices: results.map((r, k) => ({
      index: k,
      text: request.echo === true ? prompts[Math.floor(k / n)]! + r.text : r.text,
      finish_reason: r.finish,
      logprobs: null,
    })),
    usage: sumUsage(results.map((r) => r.usage)),
  };
}

/** The prompt and stop list of a chat request over /generate. */
export function chatCall(request: ChatRequest, providerName: string): { inputs: string; stops: string[] } {
  return { inputs: renderChat(request.messages, providerName), stops: chatStops(stopSequences(request.stop)) };
}

export async function chat(ctx: GenerateContext, request: ChatRequest, call: CallContext): Promise<ChatResponse> {
  const n = choiceCount(request.n, ctx.providerName);
  const { inputs, stops } = chatCall(request, ctx.providerName);
  const parameters = parametersFor(GENERATE_PARAMS, request, ctx.providerName, stops);
  const results = await generateChoices(ctx, [inputs], n, parameters, stops, call);
  return {
    id: generateId('chatcmpl'),
    object: 'chat.completion',
    created: ctx.now(),
    model: request.model || ctx.model,
    choices: results.map((r, k) => ({
      index: k,
      // Models tend to open their turn with a space after "Assistant:".
      message: { role: 'assistant', content: r.text.trimStart(), refusal: null },
      finish_reason: r.finish,
      logprobs: null,
    })),
    usage: sumUsage(results.map((r) => r.usage)),
  };
}
