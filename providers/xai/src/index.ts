// @gatehousejs/provider-xai: xAI's OpenAI-compatible API (chat, embeddings), on the shared
// OpenAI-compatible base.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type XaiOptions } from './options.js';
import { xaiSettings } from './settings.js';

export { optionsSchema, XAI_API_BASE, type XaiOptions } from './options.js';
export { xaiSettings } from './settings.js';

export default defineProvider<XaiOptions>({
  id: 'xai',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['xai_api_key'],
  create: (options, services) => createOpenAICompatibleInstance(xaiSettings(options), services),
});
