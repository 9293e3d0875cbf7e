// OpenAI proper (openai_api_type "openai"): URLs, headers and the main flows, recorded in
// OpenAI's wire format (each fixture names its page of https://platform.openai.com/docs/api-reference).
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, CompletionsChunk, CompletionsRequest, EmbeddingsRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import {
  batchRequest,
  batchResponse,
  chatStream,
  chatStreamTools,
  completionsRequest,
  completionsResponse,
  completionsStream,
  nStopRequest,
  nStopResponse,
  singleRequest,
  singleResponse,
  toolsRequest,
  toolsResponse,
} from '@gatehousejs/provider-openai-compatible/testing';

const OPENAI = 'https://api.openai.com';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
const clone = <T>(value: T): T => structuredClone(value) as T;
const JSON_AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

describe('openai provider: OpenAI API', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { openai_api_key: KEY }, mock.agent, { model: 'gpt-4o-mini' });
  });

  it('posts chat with tools to https://api.openai.com/v1/chat/completions with only the bearer key', async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/chat/completions', { body: toolsResponse });
    const res = await instance.chat!(clone(toolsRequest) as unknown as ChatRequest, callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/v1/chat/completions', headers: JSON_AUTH, body: toolsRequest });
    expect(res).to.deep.equal(toolsResponse);
    expect(res.choices[0]!.finish_reason).to.equal('tool_calls');
    expect(res.choices[0]!.message.tool_calls).to.deep.equal(toolsResponse.choices[0].message.tool_calls);
  });

  it('passes n, stop and extra parameters and returns every choice', async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/chat/completions', { body: nStopResponse });
    const res = await instance.chat!(clone(nStopRequest) as unknown as ChatRequest, callContext());
    expect(sent.requests[0]!.body).to.deep.equal(nStopRequest);
    expect(res.choices).to.have.length(2);
    expect(res.choices.map((c) => c.finish_reason)).to.deep.equal(['stop', 'stop']);
  });

  it('streams chat chunks with the usage chunk last', async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/chat/completions', { body: chatStream });
    const req: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello?' }], stream: true, stream_options: { include_usage: true } };
    const chunks: ChatChunk[] = await collect(instance.chatStream!(req, callContext()));
    expect(sent.requests[0]!.headers).to.deep.equal(JSON_AUTH);
    expect(sent.requests[0]!.body).to.deep.equal(req);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Hello! How can I help you today?');
    expect(chunks[chunks.length - 1]!.choices).to.deep.equal([]);
    expect(chunks[chunks.length - 1]!.usage?.total_tokens).to.equal(28);
  });

  it('streams tool_call deltas', async () => {
    answer(mock.agent, OPENAI, '/v1/chat/completions', { body: chatStreamTools });
    const chunks: ChatChunk[] = await collect(instance.chatStream!({ ...(clone(toolsRequest) as unknown as ChatRequest), stream: true }, callContext()));
    const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((d) => d.index === 0).map((d) => d.function?.arguments ?? '');
    expect(JSON.parse(args.join(''))).to.deep.equal({ location: 'Paris, France' });
    expect(chunks[0]!.choices[0]!.delta.tool_calls![0]).to.deep.include({ id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function' });
  });

  it('posts completions to /v1/completions, plain and streamed', async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/completions', { body: completionsResponse });
    const res = await instance.completions!(clone(completionsRequest) as unknown as CompletionsRequest, callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/v1/completions', headers: JSON_AUTH, body: completionsRequest });
    expect(res).to.deep.equal(completionsResponse);

    answer(mock.agent, OPENAI, '/v1/completions', { body: completionsStream });
    const chunks: CompletionsChunk[] = await collect(instance.completionsStream!({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', stream: true }, callContext()));
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal('This is a test.');
  });

  it('posts embeddings to /v1/embeddings, single and batch', async () => {
    const one = answer(mock.agent, OPENAI, '/v1/embeddings', { body: singleResponse });
    expect(await instance.embeddings!(clone(singleRequest) as unknown as EmbeddingsRequest, callContext())).to.deep.equal(singleResponse);
    expect(one.requests[0]).to.deep.include({ method: 'POST', path: '/v1/embeddings', headers: JSON_AUTH, body: singleRequest });

    const batch = answer(mock.agent, OPENAI, '/v1/embeddings', { body: batchResponse });
    const res = await instance.embeddings!(clone(batchRequest) as unknown as EmbeddingsRequest, callContext());
    expect(batch.requests[0]!.body).to.deep.equal(batchRequest);
    expect(res.data).to.have.length(3);
    expect(res.data.map((d) => d.index)).to.deep.equal([0, 1, 2]);
  });

  it('sends OpenAI-Organization when openai_organization is set', async () => {
    const withOrg = await instanceOf(provider, { openai_api_key: KEY, openai_organization: 'org-gatehouse42' }, mock.agent);
    const sent = answer(mock.agent, OPENAI, '/v1/chat/completions', { body: nStopResponse });
    await withOrg.chat!({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(sent.requests[0]!.headers).to.deep.equal({ ...JSON_AUTH, 'openai-organization': 'org-gatehouse42' });
  });

  it('uses a custom openai_api_base and adds api-version when openai_api_version is set (MLflow)', async () => {
    const proxy = await instanceOf(provider, { openai_api_key: KEY, openai_api_base: 'https://proxy.example.com/openai/v1/', openai_api_version: '2024-06-01' }, mock.agent);
    const sent = answer(mock.agent, 'https://proxy.example.com', '/openai/v1/embeddings?api-version=2024-06-01', { body: singleResponse });
    await proxy.embeddings!({ model: 'text-embedding-3-small', input: 'x' }, callContext());
    expect(sent.requests[0]!.path).to.equal('/openai/v1/embeddings?api-version=2024-06-01');
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'text-embedding-3-small', input: 'x' });
  });

  it('shows its capabilities', () => {
    expect(instance.capabilities).to.deep.equal({ streaming: true, tools: true, api_type: 'openai', base64Embeddings: true });
  });
});
