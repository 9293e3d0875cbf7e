// @gatehousejs/provider-openai: OpenAI, Azure OpenAI (key) and Azure OpenAI (Entra ID token),
// configured with MLflow's options. Built on the shared OpenAI-compatible base.
import { defineProvider } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { openAISettings } from './api.js';
import { resolveConfig } from './config.js';
import { nativeHandlers } from './native/handlers.js';
import { nativeRoutes } from './native/routes.js';
import { optionsSchema, type OpenAIOptions } from './options.js';

export { optionsSchema, AZURE_REQUIRED, type OpenAIOptions } from './options.js';
export { resolveConfig, apiTypeOf, OPENAI_API_BASE, type ApiType, type OpenAIConfig } from './config.js';
export { openAISettings } from './api.js';
export { nativeRoutes } from './native/routes.js';
export { NATIVE_HANDLERS } from './native/handlers.js';

export default defineProvider<OpenAIOptions>({
  id: 'openai',
  aliases: ['azure', 'azuread'],
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['openai_api_key'],
  nativeRoutes,
  create(options, services) {
    const config = resolveConfig(options, services.providerName);
    if (config.apiType !== 'openai' && config.organization) {
      services.logger.warn('openai_organization is not used with Azure OpenAI; it is ignored.', { endpoint: services.endpoint });
    }
    const settings = openAISettings(config);
    const native = nativeHandlers(settings, services, { azure: config.apiType !== 'openai', endpoint: services.endpoint });
    return Object.freeze({ ...createOpenAICompatibleInstance(settings, services), native });
  },
});
