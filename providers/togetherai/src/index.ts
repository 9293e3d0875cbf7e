// @gatehousejs/provider-togetherai: Together AI's OpenAI-compatible API
// (https://docs.together.ai/reference/), configured with MLflow's options. Built on the shared
// OpenAI-compatible base; Together's differences are the parameter tables (settings.ts) and a
// pass over its answers (response.ts).
import { defineProvider, type ProviderInstance } from '@gatehousejs/core';
import { createOpenAICompatibleInstance, wantsUsage } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type TogetherAIOptions } from './options.js';
import { fixChunks, fixResponse } from './response.js';
import { togetherSettings } from './settings.js';

export { optionsSchema, TOGETHERAI_API_BASE, type TogetherAIOptions } from './options.js';
export { CHAT_PARAMS, COMPLETIONS_PARAMS, togetherSettings } from './settings.js';

export default defineProvider<TogetherAIOptions>({
  id: 'togetherai',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['togetherai_api_key'],
  create(options, services) {
    const base = createOpenAICompatibleInstance(togetherSettings(options), services);
    return Object.freeze({
      capabilities: base.capabilities,
      chat: async (request, call) => fixResponse(await base.chat!(request, call)),
      chatStream: async (request, call) => fixChunks(await base.chatStream!(request, call), wantsUsage(request)),
      completions: async (request, call) => fixResponse(await base.completions!(request, call)),
      completionsStream: async (request, call) => fixChunks(await base.completionsStream!(request, call), wantsUsage(request)),
      embeddings: base.embeddings,
    } satisfies ProviderInstance);
  },
});
