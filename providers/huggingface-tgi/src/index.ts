// @gatehousejs/provider-huggingface-tgi: models served by Hugging Face Text Generation Inference
// (a self-hosted TGI server or a Hugging Face Inference Endpoint).
// - completions: POST {hf_server_url}/generate and /generate_stream (TGI's own API);
// - chat: the Messages API, POST {hf_server_url}/v1/chat/completions (OpenAI's format, through the
//   shared OpenAI-compatible base), or /generate with a plain template (`hf_chat_api: generate`);
// - embeddings: TGI has none; the instance offers no `embeddings`, so core answers 501.
// Reference: https://huggingface.github.io/text-generation-inference/ (OpenAPI spec).
import { createError, defineProvider, unixSeconds, type ProviderInstance, type ProviderServices } from '@gatehousejs/core';
import { bearer, checkHttpUrl, createOpenAICompatibleInstance, joinUrl } from '@gatehousejs/provider-openai-compatible';
import * as generate from './generate.js';
import { PROVIDER_LABEL, type GenerateContext } from './generate.js';
import { messagesChat } from './messages.js';
import { DEFAULT_CHAT_API, optionsSchema, type TGIOptions } from './options.js';
import { MESSAGES_PARAMS } from './params.js';
import * as stream from './stream.js';

export { optionsSchema, DEFAULT_CHAT_API, type TGIOptions, type ChatApi } from './options.js';
export { GENERATE_PARAMS, GENERATE_STREAM_PARAMS, MESSAGES_PARAMS, MAX_CHOICES } from './params.js';
export { PROVIDER_LABEL } from './generate.js';
export { renderChat, TURN_STOP } from './template.js';

function create(options: TGIOptions, services: ProviderServices): ProviderInstance {
  if (typeof options.hf_server_url !== 'string' || options.hf_server_url === '') {
    throw createError('GW_ERR_CONFIG_INVALID', `The ${services.providerName} provider needs model.config.hf_server_url.`);
  }
  const serverUrl = checkHttpUrl(options.hf_server_url, 'hf_server_url');
  const headers = Object.freeze(options.hf_api_token ? bearer(options.hf_api_token) : {});
  const ctx: GenerateContext = Object.freeze({
    dispatcher: services.dispatcher,
    generateUrl: joinUrl(serverUrl, 'generate'),
    streamUrl: joinUrl(serverUrl, 'generate_stream'),
    headers,
    providerName: services.providerName,
    model: services.model,
    now: () => unixSeconds(services.clock.now()),
  });
  const chatApi = options.hf_chat_api ?? DEFAULT_CHAT_API;
  const chatMethods =
    chatApi === 'messages'
      ? messagesChat(
          createOpenAICompatibleInstance(
            { provider: PROVIDER_LABEL, baseUrl: joinUrl(serverUrl, 'v1'), headers, methods: ['chat', 'chatStream'], params: { chat: MESSAGES_PARAMS } },
            services,
          ),
          services.providerName,
        )
      : {
          chat: generate.chat.bind(null, ctx),
          chatStream: stream.chatStream.bind(null, ctx),
        };

  return Object.freeze({
    capabilities: Object.freeze({ streaming: true, tools: chatApi === 'messages', chat_api: chatApi, embeddings: false }),
    ...chatMethods,
    completions: generate.completions.bind(null, ctx),
    completionsStream: stream.completionsStream.bind(null, ctx),
  });
}

export default defineProvider<TGIOptions>({
  id: 'huggingface-text-generation-inference',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['hf_api_token'],
  create,
});
