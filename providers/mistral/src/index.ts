// @gatehousejs/provider-mistral: Mistral's API (https://docs.mistral.ai/api/), configured with
// MLflow's options. Chat and embeddings go through the shared OpenAI-compatible base; Mistral's
// differences are a parameter table (params.ts) and a pass over its answers (response.ts);
// completions are served through chat (completions.ts).
import { defineProvider, type ProviderInstance } from '@gatehousejs/core';
import { createOpenAICompatibleInstance, wantsUsage } from '@gatehousejs/provider-openai-compatible';
import { chatRequestFor, completionChunksFromChat, completionFromChat } from './completions.js';
import { optionsSchema, type MistralOptions } from './options.js';
import { fixChatChunks, fixChatResponse } from './response.js';
import { mistralSettings } from './settings.js';

export { optionsSchema, MISTRAL_API_BASE, type MistralOptions } from './options.js';
export { CHAT_PARAMS, EMBEDDINGS_PARAMS, mistralToolCallId } from './params.js';
export { COMPLETIONS_PARAMS } from './completions.js';
export { mistralSettings } from './settings.js';

export default defineProvider<MistralOptions>({
  id: 'mistral',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['mistral_api_key'],
  create(options, services) {
    const base = createOpenAICompatibleInstance(mistralSettings(options), services);
    const chat: NonNullable<ProviderInstance['chat']> = async (request, call) => fixChatResponse(await base.chat!(request, call));
    const chatStream: NonNullable<ProviderInstance['chatStream']> = async (request, call) =>
      fixChatChunks(await base.chatStream!(request, call), wantsUsage(request));
    return Object.freeze({
      capabilities: base.capabilities,
      chat,
      chatStream,
      completions: async (request, call) => completionFromChat(await chat(chatRequestFor(request), call)),
      completionsStream: async (request, call) => {
        const chatRequest = chatRequestFor(request);
        return completionChunksFromChat(await chatStream(chatRequest, call));
      },
      embeddings: base.embeddings,
    } satisfies ProviderInstance);
  },
});
