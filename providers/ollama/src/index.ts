// @gatehousejs/provider-ollama: a local (or proxied) Ollama server through its OpenAI-compatible
// API. A few lines on the shared OpenAI-compatible base: the URL, the optional key, one table.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type OllamaOptions } from './options.js';
import { ollamaSettings } from './settings.js';

export { optionsSchema, OLLAMA_API_BASE, type OllamaOptions } from './options.js';
export { CHAT_PARAMS, COMPLETIONS_PARAMS, ollamaSettings } from './settings.js';

export default defineProvider<OllamaOptions>({
  id: 'ollama',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['ollama_api_key'],
  create: (options, services) => createOpenAICompatibleInstance(ollamaSettings(options), services),
});
