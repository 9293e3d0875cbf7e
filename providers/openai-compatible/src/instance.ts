// The shared OpenAI-compatible provider instance: OpenAI's own API, Azure OpenAI, and any
// server that speaks the same wire format (vLLM, Ollama, LM Studio, Together, Mistral, ...).
// URLs and headers are fixed in create(); a request is the canonical body with the stream
// flags set, sent through core's upstream helpers (injected dispatcher, signal, timeout).
import {
  requestJson,
  requestSSE,
  parseEmbeddingsJson,
  parseJsonVerbatim,
  parseEmbeddingsJsonVerbatim,
  translateParams,
  unixSeconds,
  type CallContext,
  type ChatChunk,
  type ChatRequest,
  type CompletionsChunk,
  type CompletionsRequest,
  type EmbeddingsRequest,
  type ProviderInstance,
  type ProviderServices,
} from '@gatehousejs/core';
import { mergeHeaders } from './headers.js';
import { normalizeChatResponse, normalizeCompletionsResponse, normalizeEmbeddingsResponse, normalizeVerbatim, type NormalizeContext } from './normalize.js';
import { ALL_METHODS, type Method, type OpenAICompatibleSettings, type Operation } from './settings.js';
import { CHAT_STREAM, COMPLETIONS_STREAM, openAIStreamChunks } from './stream.js';
import { operationUrls } from './url.js';

type Json = Record<string, unknown>;

export function createOpenAICompatibleInstance(settings: OpenAICompatibleSettings, services: ProviderServices): ProviderInstance {
  const { provider, params } = settings;
  const { dispatcher, clock } = services;
  const urls = operationUrls(settings);
  const headers = Object.freeze(mergeHeaders(settings.headers));
  const now = (): number => unixSeconds(clock.now());
  // Without verbatimAnswers: requestJson's own JSON.parse (undefined takes its default).
  const answerParse = settings.verbatimAnswers === true ? parseJsonVerbatim : undefined;
  const embeddingsParse = settings.verbatimAnswers === true ? parseEmbeddingsJsonVerbatim : parseEmbeddingsJson;

  /** The upstream body: the canonical request, translated if the settings say so. */
  const bodyFor = (operation: Operation, request: Json, stream: boolean): Json => {
    const map = params?.[operation];
    const body = map ? translateParams(map, request, provider) : request;
    // A copy without what is set below (`delete` would leave the copy a slow dictionary object).
    const out: Json = {};
    for (const key in body) {
      if (key === 'stream' || key === 'stream_options' || (key === 'model' && body.model === '')) continue;
      out[key] = body[key];
    }
    // No model configured (skipped above): let a single-model server use its own rather than reject "".
    if (stream) {
      out.stream = true;
      if (body.stream_options !== undefined) out.stream_options = body.stream_options;
    }
    return out;
  };

  const normalizeContext = (request: { model?: string }): NormalizeContext => ({
    provider,
    model: request.model || services.model,
    now,
  });

  // Embedding vectors stay the upstream's text until something reads them (see parseEmbeddingsJson);
  // with verbatimAnswers, answers keep their bytes for a reply that needs no change (see normalize.ts).
  const send = (operation: Operation, body: Json, call: CallContext) =>
    requestJson<unknown>(dispatcher, { provider, url: urls[operation], headers, body }, call, operation === 'embeddings' ? embeddingsParse : answerParse);

  const stream = (operation: Operation, body: Json, call: CallContext) =>
    requestSSE(dispatcher, { provider, url: urls[operation], headers, body }, call);

  const methods: Required<Pick<ProviderInstance, Method>> = {
    async chat(request: ChatRequest, call: CallContext) {
      return normalizeVerbatim(normalizeChatResponse, await send('chat', bodyFor('chat', request, false), call), normalizeContext(request));
    },
    // Resolves once the upstream accepted the request, so a 4xx rejects before any chunk.
    async chatStream(request: ChatRequest, call: CallContext) {
      const events = await stream('chat', bodyFor('chat', request, true), call);
      return openAIStreamChunks<ChatChunk>(events, CHAT_STREAM, normalizeContext(request), call);
    },
    async completions(request: CompletionsRequest, call: CallContext) {
      return normalizeVerbatim(normalizeCompletionsResponse, await send('completions', bodyFor('completions', request, false), call), normalizeContext(request));
    },
    async completionsStream(request: CompletionsRequest, call: CallContext) {
      const events = await stream('completions', bodyFor('completions', request, true), call);
      return openAIStreamChunks<CompletionsChunk>(events, COMPLETIONS_STREAM, normalizeContext(request), call);
    },
    async embeddings(request: EmbeddingsRequest, call: CallContext) {
      return normalizeVerbatim(normalizeEmbeddingsResponse, await send('embeddings', bodyFor('embeddings', request, false), call), normalizeContext(request));
    },
  };

  const instance: { -readonly [K in keyof ProviderInstance]: ProviderInstance[K] } = {};
  if (settings.capabilities) instance.capabilities = settings.capabilities;
  for (const method of settings.methods ?? ALL_METHODS) instance[method] = methods[method] as never;
  return Object.freeze(instance);
}
