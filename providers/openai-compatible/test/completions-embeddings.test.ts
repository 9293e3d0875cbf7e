// Completions and embeddings through the shared base.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, rejection, services } from '@gatehousejs/core/testing';
import type { CompletionsRequest, EmbeddingsRequest } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '../src/index.js';
import { batchCompletionsRequest, batchCompletionsResponse, completionsRequest, completionsResponse } from '../src/testing/fixtures/completions.js';
import { base64Response, batchRequest, batchResponse, singleRequest, singleResponse } from '../src/testing/fixtures/embeddings.js';

const ORIGIN = 'https://llm.example.com';
const settings = { provider: 'Example', baseUrl: `${ORIGIN}/v1`, headers: { authorization: 'Bearer sk-test' } };
const clone = <T>(value: T): T => structuredClone(value) as T;

describe('openai-compatible completions and embeddings', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('posts a completion to /completions and returns it unchanged', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/completions', { body: completionsResponse });
    const res = await instance.completions!(clone(completionsRequest) as unknown as CompletionsRequest, callContext());
    expect(sent.requests[0]!.path).to.equal('/v1/completions');
    expect(sent.requests[0]!.body).to.deep.equal(completionsRequest);
    expect(res).to.deep.equal(completionsResponse);
  });

  it('returns one choice per prompt of a batch', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/completions', { body: batchCompletionsResponse });
    const res = await instance.completions!(clone(batchCompletionsRequest) as unknown as CompletionsRequest, callContext());
    expect(sent.requests[0]!.body.prompt).to.deep.equal(['One,', 'A,']);
    expect(res.choices.map((c) => [c.index, c.text])).to.deep.equal([
      [0, ' two, three'],
      [1, ' B, C'],
    ]);
  });

  it('rejects a completion choice without text as a bad answer', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    answer(mock.agent, ORIGIN, '/v1/completions', { body: { choices: [{ index: 0, finish_reason: 'stop' }] } });
    const error = await rejection(instance.completions!({ model: 'm', prompt: 'p' }, callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('embeds a single input', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/embeddings', { body: singleResponse });
    const res = await instance.embeddings!(clone(singleRequest) as unknown as EmbeddingsRequest, callContext());
    expect(sent.requests[0]!.path).to.equal('/v1/embeddings');
    expect(sent.requests[0]!.headers).to.deep.equal({ authorization: 'Bearer sk-test', 'content-type': 'application/json' });
    expect(sent.requests[0]!.body).to.deep.equal(singleRequest);
    expect(res).to.deep.equal(singleResponse);
  });

  it('embeds a batch, one vector per input in order, passing dimensions through', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/embeddings', { body: batchResponse });
    const res = await instance.embeddings!(clone(batchRequest) as unknown as EmbeddingsRequest, callContext());
    expect(sent.requests[0]!.body).to.deep.equal(batchRequest);
    expect(res.data.map((d) => d.index)).to.deep.equal([0, 1, 2]);
    expect(res.data.map((d) => d.embedding)).to.deep.equal([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
      [0.7, 0.8, 0.9],
    ]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 6, total_tokens: 6 });
  });

  it('decodes base64 vectors, restores input order and fills the model for a server that ignores the float default', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: 'nomic-embed-text' }));
    answer(mock.agent, ORIGIN, '/v1/embeddings', { body: base64Response });
    const res = await instance.embeddings!({ model: '', input: ['a', 'b'] }, callContext());
    expect(res.data).to.deep.equal([
      { object: 'embedding', index: 0, embedding: [1, -2.5] },
      { object: 'embedding', index: 1, embedding: [0.5, 0.25] },
    ]);
    expect(res.model).to.equal('nomic-embed-text');
    expect(res).to.not.have.property('usage');
  });

  it('answers 502 for an embeddings answer without data or with a non-vector', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    answer(mock.agent, ORIGIN, '/v1/embeddings', { body: { object: 'list', model: 'm' } });
    expect((await rejection(instance.embeddings!({ model: 'm', input: 'a' }, callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    answer(mock.agent, ORIGIN, '/v1/embeddings', { body: { data: [{ index: 0, embedding: { values: [1] } }] } });
    expect((await rejection(instance.embeddings!({ model: 'm', input: 'a' }, callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });
});
