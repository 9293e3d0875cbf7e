// @gatehousejs/provider-deepseek: DeepSeek's OpenAI-compatible API (chat, and FIM completions),
// on the shared OpenAI-compatible base.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type DeepSeekOptions } from './options.js';
import { deepseekSettings } from './settings.js';

export { optionsSchema, DEEPSEEK_API_BASE, type DeepSeekOptions } from './options.js';
export { PARAMS_TABLE, deepseekSettings } from './settings.js';

export default defineProvider<DeepSeekOptions>({
  id: 'deepseek',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['deepseek_api_key'],
  create: (options, services) => createOpenAICompatibleInstance(deepseekSettings(options), services),
});
