// @gatehousejs/provider-openai-compatible: any server that speaks OpenAI's wire format, and the
// shared base the OpenAI provider and other OpenAI-compatible hosts build on.
import { defineProvider } from '@gatehousejs/core';
import { bearer, mergeHeaders } from './headers.js';
import { createOpenAICompatibleInstance } from './instance.js';
import { optionsSchema, type OpenAICompatibleOptions } from './options.js';
import { checkHttpUrl } from './url.js';

export { createOpenAICompatibleInstance } from './instance.js';
export { ALL_METHODS, OPENAI_PATHS, type Method, type OpenAICompatibleSettings, type Operation } from './settings.js';
export { joinUrl, withQuery, checkHttpUrl, operationUrls } from './url.js';
export { mergeHeaders, bearer } from './headers.js';
export {
  normalizeChatResponse,
  normalizeCompletionsResponse,
  normalizeEmbeddingsResponse,
  normalizeUsage,
  fillEnvelope,
  type NormalizeContext,
} from './normalize.js';
export { openAIStreamChunks, CHAT_STREAM, COMPLETIONS_STREAM, type StreamKind } from './stream.js';
export { isReportedError, reportedError } from './reported-error.js';
export { separateUsage, wantsUsage } from './usage-chunk.js';
export { URL_OPTION_SCHEMA, optionsSchema, type OpenAICompatibleOptions } from './options.js';

export default defineProvider<OpenAICompatibleOptions>({
  id: 'openai-compatible',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['api_key'],
  create(options, services) {
    return createOpenAICompatibleInstance(
      {
        provider: 'OpenAI-compatible upstream',
        baseUrl: checkHttpUrl(options.api_base, 'api_base'),
        // The key wins over an extra header of the same name.
        headers: mergeHeaders(options.extra_headers, options.api_key ? bearer(options.api_key) : undefined),
        capabilities: { streaming: true },
      },
      services,
    );
  },
});
