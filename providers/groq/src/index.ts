// @gatehousejs/provider-groq: Groq's OpenAI-compatible chat API, on the shared OpenAI-compatible base.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type GroqOptions } from './options.js';
import { groqSettings } from './settings.js';

export { optionsSchema, GROQ_API_BASE, type GroqOptions } from './options.js';
export { CHAT_PARAMS, groqSettings } from './settings.js';

export default defineProvider<GroqOptions>({
  id: 'groq',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['groq_api_key'],
  create: (options, services) => createOpenAICompatibleInstance(groqSettings(options), services),
});
