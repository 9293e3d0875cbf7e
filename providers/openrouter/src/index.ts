// @gatehousejs/provider-openrouter: OpenRouter's OpenAI-compatible API (chat, completions), on the
// shared OpenAI-compatible base.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type OpenRouterOptions } from './options.js';
import { openRouterSettings } from './settings.js';

export { optionsSchema, OPENROUTER_API_BASE, type OpenRouterOptions } from './options.js';
export { PARAMS_TABLE, openRouterSettings } from './settings.js';

export default defineProvider<OpenRouterOptions>({
  id: 'openrouter',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['openrouter_api_key'],
  create: (options, services) => createOpenAICompatibleInstance(openRouterSettings(options), services),
});
