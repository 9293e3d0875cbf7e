// The settings surface other providers build on: methods, paths, url(), query, params, capabilities.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, rejection, services } from '@gatehousejs/core/testing';
import { defineParamMap } from '@gatehousejs/core';
import { createOpenAICompatibleInstance, joinUrl, mergeHeaders, operationUrls, withQuery } from '../src/index.js';
import { nStopResponse } from '../src/testing/fixtures/chat.js';
import { singleResponse } from '../src/testing/fixtures/embeddings.js';

const ORIGIN = 'https://llm.example.com';
const chat = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }], max_tokens: 10 };

describe('openai-compatible settings', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('offers only the listed methods, so core answers 501 for the rest', () => {
    const instance = createOpenAICompatibleInstance({ provider: 'P', baseUrl: ORIGIN, methods: ['chat', 'chatStream'] }, services(mock.agent));
    expect(Object.keys(instance).sort()).to.deep.equal(['chat', 'chatStream']);
  });

  it('shows the capabilities it is given', () => {
    const instance = createOpenAICompatibleInstance({ provider: 'P', baseUrl: ORIGIN, capabilities: { tools: false } }, services(mock.agent));
    expect(instance.capabilities).to.deep.equal({ tools: false });
  });

  it('builds URLs from base, paths and query once, and url() overrides them', () => {
    expect(operationUrls({ provider: 'P', baseUrl: `${ORIGIN}/api/v1/`, paths: { embeddings: '/embed' }, query: { 'api-version': '2024-10-21' } })).to.deep.equal({
      chat: `${ORIGIN}/api/v1/chat/completions?api-version=2024-10-21`,
      completions: `${ORIGIN}/api/v1/completions?api-version=2024-10-21`,
      embeddings: `${ORIGIN}/api/v1/embed?api-version=2024-10-21`,
    });
    const calls: string[] = [];
    const urls = operationUrls({ provider: 'P', baseUrl: 'ignored', url: (op) => (calls.push(op), `${ORIGIN}/x/${op}`) });
    expect(urls.chat).to.equal(`${ORIGIN}/x/chat`);
    expect(calls).to.deep.equal(['chat', 'completions', 'embeddings']);
  });

  it('sends to the URL url() built, with the query parameters kept', async () => {
    const instance = createOpenAICompatibleInstance(
      { provider: 'P', baseUrl: 'unused', url: (op) => `${ORIGIN}/models/m1/${op}?key=value` },
      services(mock.agent),
    );
    const sent = answer(mock.agent, ORIGIN, '/models/m1/embeddings?key=value', { body: singleResponse });
    await instance.embeddings!({ model: 'm', input: 'a' }, callContext());
    expect(sent.requests[0]!.path).to.equal('/models/m1/embeddings?key=value');
  });

  it('translates parameters through a core ParamMap, per operation', async () => {
    const params = defineParamMap({ max_tokens: { to: 'max_completion_tokens' }, model: { drop: true }, top_k: { reject: 'not supported' } });
    const instance = createOpenAICompatibleInstance({ provider: 'P', baseUrl: ORIGIN, params: { chat: params } }, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/chat/completions', { body: nStopResponse });
    await instance.chat!({ ...chat, custom: 1 }, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ messages: chat.messages, max_completion_tokens: 10, custom: 1 });

    const error = await rejection(instance.chat!({ ...chat, top_k: 3 }, callContext()));
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('top_k');
  });

  it('helpers: joinUrl, withQuery, mergeHeaders', () => {
    expect(joinUrl('https://h/', '/openai/', 'deployments', 'd1/')).to.equal('https://h/openai/deployments/d1');
    expect(withQuery('https://h/p?a=1', { 'api-version': '2024-02-01' })).to.equal('https://h/p?a=1&api-version=2024-02-01');
    expect(withQuery('https://h/p', undefined)).to.equal('https://h/p');
    expect(mergeHeaders({ 'X-A': '1', Authorization: 'a' }, undefined, { authorization: 'b' })).to.deep.equal({ 'x-a': '1', authorization: 'b' });
  });
});
