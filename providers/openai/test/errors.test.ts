// Failures of OpenAI and Azure OpenAI as coded errors: 400/401/404/429/500, mid-stream error
// events, truncated streams, non-JSON bodies, aborts; the key never appears in a message.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import {
  badRequest,
  chatStream,
  chatStreamError,
  chatStreamTruncated,
  proxyHtml,
  rateLimited,
  serverError,
  unauthorized,
} from '@gatehousejs/provider-openai-compatible/testing';
import * as azure from './fixtures/azure.js';

const OPENAI = 'https://api.openai.com';
const CHAT = '/v1/chat/completions';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
const chat = (): ChatRequest => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
const stream = (): ChatRequest => ({ ...chat(), stream: true, stream_options: { include_usage: true } });

describe('openai provider: errors', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  describe('OpenAI', () => {
    let instance: ProviderInstance;
    beforeEach(async () => {
      instance = await instanceOf(provider, { openai_api_key: KEY }, mock.agent);
    });

    it('400 keeps its status, message, type and body', async () => {
      answer(mock.agent, OPENAI, CHAT, { status: 400, body: badRequest });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(400);
      expect(error.type).to.equal('invalid_request_error');
      expect(error.message).to.equal(`OpenAI rejected the request (400): ${badRequest.error.message}`);
      expect(error.upstreamBody).to.deep.equal(badRequest);
    });

    it('401 keeps its status; the message holds OpenAI\'s masked key, never the configured one', async () => {
      answer(mock.agent, OPENAI, CHAT, { status: 401, body: unauthorized });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(401);
      expect(error.message).to.contain('sk-proj-****');
      expect(error.message).to.not.contain(KEY);
    });

    it('429 becomes a rate-limit error with Retry-After', async () => {
      answer(mock.agent, OPENAI, CHAT, { status: 429, body: rateLimited, headers: { 'retry-after': '20' } });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(429);
      expect(error.code).to.equal('GW_ERR_RATE_LIMITED');
      expect(error.retryAfter).to.equal(20);
    });

    it('500 becomes 502', async () => {
      answer(mock.agent, OPENAI, CHAT, { status: 500, body: serverError });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(502);
      expect(error.message).to.equal(`OpenAI failed (500): ${serverError.error.message}`);
    });

    it('a 200 body that is not JSON becomes 502', async () => {
      answer(mock.agent, OPENAI, CHAT, { body: proxyHtml, headers: { 'content-type': 'text/html' } });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(502);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    });

    it('an error event mid-stream becomes a 502 with OpenAI\'s message, after the chunks before it', async () => {
      answer(mock.agent, OPENAI, CHAT, { body: chatStreamError });
      const chunks: ChatChunk[] = [];
      const error = await rejection(
        (async () => {
          for await (const chunk of await instance.chatStream!(stream(), callContext())) chunks.push(chunk);
        })(),
      );
      expect(chunks).to.have.length(2);
      expect(error.status).to.equal(502);
      expect(error.message).to.equal('OpenAI reported an error mid-stream: The server had an error while processing your request. Sorry about that!');
    });

    it('a stream cut off without [DONE] or finish_reason is GW_ERR_UPSTREAM_BAD_RESPONSE', async () => {
      answer(mock.agent, OPENAI, CHAT, { body: chatStreamTruncated });
      const error = await rejection(collect(instance.chatStream!(stream(), callContext())));
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.message).to.equal('OpenAI closed the stream before the answer was complete.');
    });

    it('an abort before the answer rejects promptly with 499', async () => {
      answer(mock.agent, OPENAI, CHAT, { body: chatStream, delay: 5_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const started = Date.now();
      const error = await rejection(collect(instance.chatStream!(stream(), callContext({ signal: controller.signal }))));
      expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
      expect(Date.now() - started).to.be.lessThan(2_000);
    });

    it('a call without an answer within its timeout is a 504', async () => {
      answer(mock.agent, OPENAI, '/v1/embeddings', { body: {}, delay: 5_000 });
      const error = await rejection(instance.embeddings!({ model: 'text-embedding-3-small', input: 'x' }, callContext({ timeoutMs: 50 })));
      expect(error.status).to.equal(504);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
      expect(error.message).to.match(/^OpenAI did not answer within/);
    });
  });

  describe('Azure OpenAI', () => {
    const RESOURCE = 'https://my-resource.openai.azure.com';
    const PATH = '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21';
    let instance: ProviderInstance;
    beforeEach(async () => {
      instance = await instanceOf(
        provider,
        { openai_api_key: KEY, openai_api_base: RESOURCE, openai_api_version: '2024-10-21', openai_deployment_name: 'gpt-4o-prod' },
        mock.agent,
        { providerName: 'azure' },
      );
    });

    it('401 keeps its status and Azure\'s message', async () => {
      answer(mock.agent, RESOURCE, PATH, { status: 401, body: azure.unauthorized });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(401);
      expect(error.message).to.equal(`Azure OpenAI rejected the request (401): ${azure.unauthorized.error.message}`);
      expect(error.message).to.not.contain(KEY);
    });

    it('404 DeploymentNotFound keeps its status', async () => {
      answer(mock.agent, RESOURCE, PATH, { status: 404, body: azure.deploymentNotFound });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(404);
      expect(error.message).to.contain('The API deployment for this resource does not exist');
    });

    it('400 content_filter keeps its status and message', async () => {
      answer(mock.agent, RESOURCE, PATH, { status: 400, body: azure.contentFiltered });
      const error = await rejection(instance.chat!(chat(), callContext()));
      expect(error.status).to.equal(400);
      expect(error.message).to.contain("triggering Azure OpenAI's content management policy");
    });

    it('429 carries Retry-After', async () => {
      answer(mock.agent, RESOURCE, PATH, { status: 429, body: azure.rateLimited, headers: { 'retry-after': '6' } });
      const error = await rejection(Promise.resolve(instance.chatStream!(stream(), callContext())));
      expect(error.status).to.equal(429);
      expect(error.retryAfter).to.equal(6);
      expect(error.message).to.contain('Please retry after 6 seconds');
    });
  });
});
