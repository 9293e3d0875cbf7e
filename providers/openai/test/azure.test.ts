// Azure OpenAI, with a key (`azure`) and with an Entra ID token (`azuread`): deployment URLs
// with api-version, the auth header of each, no model in the body (MLflow), and Azure's
// stream preamble. https://learn.microsoft.com/en-us/azure/ai-services/openai/reference
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, fixtureFiles, instanceOf, recordingLogger, services, type LogLine } from '@gatehousejs/core/testing';
import type { ChatChunk } from '@gatehousejs/core';
import provider from '../src/index.js';
import { chatResponse, completionsResponse, embeddingsResponse } from './fixtures/azure.js';

/** Recorded bodies in test/fixtures (the tests run from dist/test), served as they are. */
const { fixture } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

const RESOURCE = 'https://my-resource.openai.azure.com';
const KEY = '3f7a9c0e1b2d4e5f8a9b0c1d2e3f4a5b';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.signature';
const BASE_OPTIONS = { openai_api_base: `${RESOURCE}/`, openai_api_version: '2024-10-21', openai_deployment_name: 'gpt-4o-prod' };
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Do other Azure AI services support this too?' }], temperature: 0.2 };

describe('openai provider: Azure OpenAI', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  describe('azure (api-key)', () => {
    const azure = () => instanceOf(provider, { ...BASE_OPTIONS, openai_api_key: KEY, openai_api_type: 'azure' }, mock.agent, { model: 'gpt-4o' });

    it('posts chat to the deployment URL with api-version, the api-key header and no model', async () => {
      const instance = await azure();
      const sent = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21', { body: chatResponse });
      const res = await instance.chat!(structuredClone(chat), callContext());
      expect(sent.requests[0]).to.deep.include({
        method: 'POST',
        path: '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21',
        headers: { 'api-key': KEY, 'content-type': 'application/json' },
        body: { messages: chat.messages, temperature: 0.2 },
      });
      expect(res).to.deep.equal(chatResponse);
      expect(res.choices[0]!.message.content).to.equal('Yes, customer managed keys are supported by Azure OpenAI.');
    });

    it('posts completions and embeddings to their deployment URLs', async () => {
      const instance = await azure();
      const comp = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/completions?api-version=2024-10-21', { body: completionsResponse });
      expect((await instance.completions!({ model: 'gpt-35-turbo-instruct', prompt: 'mango' }, callContext())).choices[0]!.finish_reason).to.equal('stop');
      expect(comp.requests[0]!.body).to.deep.equal({ prompt: 'mango' });

      const emb = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/embeddings?api-version=2024-10-21', { body: embeddingsResponse });
      const res = await instance.embeddings!({ model: 'text-embedding-ada-002', input: ['a', 'b'] }, callContext());
      expect(emb.requests[0]!.body).to.deep.equal({ input: ['a', 'b'] });
      expect(emb.requests[0]!.headers).to.deep.equal({ 'api-key': KEY, 'content-type': 'application/json' });
      expect(res.data.map((d) => d.index)).to.deep.equal([0, 1]);
    });

    it('streams chat, dropping the prompt-filter preamble chunk so that every chunk has the real id', async () => {
      const instance = await azure();
      const sent = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21', { body: fixture('azure-chat-stream.sse') });
      const chunks: ChatChunk[] = await collect(instance.chatStream!({ ...structuredClone(chat), stream: true, stream_options: { include_usage: true } }, callContext()));
      expect(sent.requests[0]!.body).to.deep.equal({ messages: chat.messages, temperature: 0.2, stream: true, stream_options: { include_usage: true } });
      expect(chunks.map((c) => c.id)).to.satisfy((ids: string[]) => ids.every((id) => id === 'chatcmpl-AzureX42'));
      for (const chunk of chunks) expect(chunk).to.deep.include({ object: 'chat.completion.chunk', created: 1727000200, model: 'gpt-4o-2024-08-06' });
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Hello from Azure.');
      expect(chunks[1]!.choices[0]).to.have.property('content_filter_results');
      expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ completion_tokens: 4, prompt_tokens: 12, total_tokens: 16 });
    });

    it('is the default type for provider `azure`, and escapes the deployment name', async () => {
      const instance = await instanceOf(provider, { ...BASE_OPTIONS, openai_deployment_name: 'my deployment', openai_api_key: KEY }, mock.agent, { providerName: 'azure' });
      const sent = answer(mock.agent, RESOURCE, '/openai/deployments/my%20deployment/chat/completions?api-version=2024-10-21', { body: chatResponse });
      await instance.chat!(structuredClone(chat), callContext());
      expect(sent.requests[0]!.headers).to.deep.equal({ 'api-key': KEY, 'content-type': 'application/json' });
      expect(instance.capabilities).to.deep.include({ api_type: 'azure' });
    });

    it('does not send openai_organization to Azure, and warns about it without logging the key', async () => {
      const lines: LogLine[] = [];
      const options = { ...BASE_OPTIONS, openai_api_key: KEY, openai_api_type: 'azure', openai_organization: 'org-1' };
      const instance = await provider.create(options, services(mock.agent, { providerName: 'openai', model: 'gpt-4o-mini', logger: recordingLogger(lines) }));
      const sent = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21', { body: chatResponse });
      await instance.chat!(structuredClone(chat), callContext());
      expect(sent.requests[0]!.headers).to.not.have.property('openai-organization');
      expect(lines.map((l) => l.level)).to.deep.equal(['warn']);
      expect(lines[0]!.message).to.contain('openai_organization');
      expect(JSON.stringify(lines)).to.not.contain(KEY);
    });
  });

  describe('azuread (Entra ID token)', () => {
    it('sends the token as a bearer token, never as api-key, for every operation', async () => {
      const instance = await instanceOf(provider, { ...BASE_OPTIONS, openai_api_key: TOKEN, openai_api_type: 'azuread' }, mock.agent);
      const expected = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const a = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21', { body: chatResponse });
      const b = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/embeddings?api-version=2024-10-21', { body: embeddingsResponse });
      await instance.chat!(structuredClone(chat), callContext());
      await instance.embeddings!({ model: 'ada', input: 'x' }, callContext());
      expect(a.requests[0]!.headers).to.deep.equal(expected);
      expect(b.requests[0]!.headers).to.deep.equal(expected);
      expect(a.requests[0]!.body).to.not.have.property('model');
    });

    it('is the default type for provider `azuread` (the MLflow seed example)', async () => {
      const instance = await instanceOf(
        provider,
        { openai_api_key: TOKEN, openai_deployment_name: 'chat-dep', openai_api_base: 'https://contoso-azureopenai.openai.azure.com/', openai_api_version: '2023-05-15' },
        mock.agent,
        { providerName: 'azuread' },
      );
      const sent = answer(mock.agent, 'https://contoso-azureopenai.openai.azure.com', '/openai/deployments/chat-dep/completions?api-version=2023-05-15', { body: completionsResponse });
      await instance.completions!({ model: 'gpt-35-turbo', prompt: 'hi' }, callContext());
      expect(sent.requests[0]!.headers).to.deep.equal({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    });
  });
});
