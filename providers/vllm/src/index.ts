// @gatehousejs/provider-vllm: a vLLM server through its OpenAI-compatible API, on the shared
// OpenAI-compatible base.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { optionsSchema, type VllmOptions } from './options.js';
import { vllmSettings } from './settings.js';

export { optionsSchema, type VllmOptions } from './options.js';
export { vllmSettings } from './settings.js';

export default defineProvider<VllmOptions>({
  id: 'vllm',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['vllm_api_key'],
  create: (options, services) => createOpenAICompatibleInstance(vllmSettings(options), services),
});
