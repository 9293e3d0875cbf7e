// @gatehousejs/provider-bedrock: Amazon Bedrock Runtime.
// - chat and completions through Converse (POST /model/{modelId}/converse), streamed through
//   ConverseStream (POST /model/{modelId}/converse-stream, AWS event-stream frames);
// - embeddings through InvokeModel (POST /model/{modelId}/invoke): Amazon Titan text
//   embeddings and Cohere Embed.
// Every request is SigV4-signed (service `bedrock`); role-based configs assume the role with
// STS AssumeRole and renew the credentials shortly before they expire.
// References: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
// .../API_runtime_ConverseStream.html, .../API_runtime_InvokeModel.html
import {
  defineProvider,
  generateId,
  toChatChunks,
  toCompletionsChunks,
  unixSeconds,
  type CallContext,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  type CompletionsChunk,
  type CompletionsRequest,
  type CompletionsResponse,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type ProviderInstance,
  type ProviderServices,
  type StreamMeta,
} from '@gatehousejs/core';
import { AssumedRoleCredentials, staticCredentials, type CredentialProvider } from './auth/credentials.js';
import { assumeRole } from './auth/sts.js';
import { createClient, modelPath } from './client.js';
import { buildChatBody, buildCompletionsBody, type RequestContext } from './converse/request.js';
import { toChatResponse, toCompletionsResponse } from './converse/response.js';
import { readConverseStream } from './converse/stream.js';
import { embed, type EmbeddingsContext } from './invoke/embeddings.js';
import { optionsSchema, resolveSettings, type BedrockOptions, type Settings } from './options.js';
import { PARAM_MAPS } from './params.js';

export { optionsSchema, resolveSettings, type BedrockOptions, type AwsConfig, type Settings } from './options.js';
export { PARAM_MAPS } from './params.js';
export { decodeEventStream, decodeMessage, type EventStreamMessage, type HeaderValue } from './eventstream/decoder.js';
export { crc32 } from './eventstream/crc32.js';
export { signRequest, amzDate, type AwsCredentials } from './auth/sigv4.js';
export { RENEW_BEFORE_MS } from './auth/credentials.js';

/** A RoleSessionName (2–64 of [\w+=,.@-]) naming the gateway and the endpoint. */
export function sessionName(endpoint: string): string {
  return `gatehouse-${endpoint.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

function credentialProvider(settings: Settings, services: ProviderServices): CredentialProvider {
  const auth = settings.auth;
  if (auth.kind === 'static') return staticCredentials(auth.credentials);
  const name = sessionName(services.endpoint);
  return new AssumedRoleCredentials({
    clock: services.clock,
    logger: services.logger,
    assume: (now, call) =>
      assumeRole(
        {
          dispatcher: services.dispatcher,
          stsUrl: settings.stsUrl,
          region: settings.region,
          roleArn: auth.roleArn,
          sessionName: name,
          durationSeconds: auth.durationSeconds,
          base: auth.base,
          now,
        },
        call,
      ),
  });
}

/**
 * Build an instance. `env` is read once, here (region and credentials from AWS_* variables);
 * the provider's `create` passes `process.env`, tests pass their own.
 */
export function createBedrockInstance(options: BedrockOptions, services: ProviderServices, env: NodeJS.ProcessEnv): ProviderInstance {
  const settings = resolveSettings(options, env);
  const client = createClient({
    dispatcher: services.dispatcher,
    baseUrl: settings.runtimeUrl,
    region: settings.region,
    credentials: credentialProvider(settings, services),
    clock: services.clock,
  });
  const ctx: RequestContext = Object.freeze({ providerName: services.providerName });
  const embeddingsCtx: EmbeddingsContext = Object.freeze({ client, maps: PARAM_MAPS, providerName: services.providerName });
  const { clock } = services;
  const modelOf = (request: { model?: string }): string => request.model || services.model;
  const meta = (prefix: string, model: string): StreamMeta => ({ id: generateId(prefix), created: unixSeconds(clock.now()), model });

  return {
    capabilities: Object.freeze({
      tools: true,
      parallelToolCalls: true,
      vision: true,
      jsonMode: false,
      streaming: true,
      embeddingModels: ['amazon.titan-embed-*', 'cohere.embed-*'],
    }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const model = modelOf(request);
      const body = buildChatBody(request, PARAM_MAPS.chat, ctx);
      const answer = await client.postJson(modelPath(model, 'converse'), body, call);
      return toChatResponse(answer.body, meta('chatcmpl', model));
    },

    async chatStream(request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
      const model = modelOf(request);
      const body = buildChatBody(request, PARAM_MAPS.chat, ctx);
      const messages = await client.postStream(modelPath(model, 'converse-stream'), body, call);
      return toChatChunks(readConverseStream(messages), meta('chatcmpl', model), request.stream_options?.include_usage === true);
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const model = modelOf(request);
      const body = buildCompletionsBody(request, PARAM_MAPS.completions, ctx);
      const answer = await client.postJson(modelPath(model, 'converse'), body, call);
      return toCompletionsResponse(answer.body, meta('cmpl', model));
    },

    async completionsStream(request: CompletionsRequest, call: CallContext): Promise<AsyncIterable<CompletionsChunk>> {
      const model = modelOf(request);
      const body = buildCompletionsBody(request, PARAM_MAPS.completions, ctx);
      const messages = await client.postStream(modelPath(model, 'converse-stream'), body, call);
      return toCompletionsChunks(readConverseStream(messages), meta('cmpl', model), request.stream_options?.include_usage === true);
    },

    embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
      return embed(request, modelOf(request), embeddingsCtx, call);
    },
  };
}

export default defineProvider<BedrockOptions>({
  id: 'bedrock',
  aliases: ['amazon-bedrock'],
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'],
  create: (options, services) => createBedrockInstance(options, services, process.env),
});
