// @gatehousejs/provider-fireworks: Fireworks AI's OpenAI-compatible API (chat, completions,
// embeddings), on the shared OpenAI-compatible base. Fireworks streams return the usage "in the
// very last chunk (the one having finish_reason set)"
// (https://docs.fireworks.ai/tools-sdks/openai-compatibility#token-usage-for-streaming-responses):
// separateUsage moves it to OpenAI's usage chunk of its own.
import { defineProvider, type ProviderInstance } from '@gatehousejs/core';
import { createOpenAICompatibleInstance, separateUsage, wantsUsage } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type FireworksOptions } from './options.js';
import { fireworksSettings } from './settings.js';

export { optionsSchema, FIREWORKS_API_BASE, type FireworksOptions } from './options.js';
export { fireworksSettings } from './settings.js';

export default defineProvider<FireworksOptions>({
  id: 'fireworks',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['fireworks_api_key'],
  create(options, services) {
    const base = createOpenAICompatibleInstance(fireworksSettings(options), services);
    return Object.freeze({
      capabilities: base.capabilities,
      chat: base.chat,
      chatStream: async (request, call) => separateUsage(await base.chatStream!(request, call), wantsUsage(request)),
      completions: base.completions,
      completionsStream: async (request, call) => separateUsage(await base.completionsStream!(request, call), wantsUsage(request)),
      embeddings: base.embeddings,
    } satisfies ProviderInstance);
  },
});
