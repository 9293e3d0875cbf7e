// Embeddings through embedContent (one input) and batchEmbedContents (several):
// https://ai.google.dev/api/embeddings.
import { expect } from 'chai';
import { estimateTokens, type EmbeddingsRequest } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, fixture, fixtureJson, instance, intercept } from './helpers.js';

const EMBED_MODEL = 'gemini-embedding-001';
const EMBED_PATHS = {
  embed: `/v1beta/models/${EMBED_MODEL}:embedContent`,
  batchEmbed: `/v1beta/models/${EMBED_MODEL}:batchEmbedContents`,
};

describe('gemini: embeddings', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, (dispatcher) => instance(dispatcher, { gemini_api_key: API_KEY }, EMBED_MODEL));

  it('embeds one input with embedContent; dimensions → outputDimensionality; usage estimated', async () => {
    const captured = intercept(mock.agent, EMBED_PATHS.embed, { body: fixture('embed-content.jsonc') });
    const res = await mock.provider.embeddings!({ model: EMBED_MODEL, input: 'What is the meaning of life?', dimensions: 8, user: 'u1' }, callContext());
    expect(captured.path).to.equal(EMBED_PATHS.embed);
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.body).to.deep.equal({
      outputDimensionality: 8,
      model: `models/${EMBED_MODEL}`,
      content: { parts: [{ text: 'What is the meaning of life?' }] },
    });
    const values = fixtureJson<{ embedding: { values: number[] } }>('embed-content.jsonc').embedding.values;
    const tokens = estimateTokens('What is the meaning of life?');
    expect(res).to.deep.equal({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: values }],
      model: EMBED_MODEL,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });

  it('embeds several inputs with batchEmbedContents, one request each, answers in order', async () => {
    const captured = intercept(mock.agent, EMBED_PATHS.batchEmbed, { body: fixture('batch-embed-contents.jsonc') });
    const inputs = ['red', 'green apples', 'a blue whale swims'];
    const res = await mock.provider.embeddings!({ model: EMBED_MODEL, input: inputs, taskType: 'RETRIEVAL_DOCUMENT' }, callContext());
    expect(captured.body).to.deep.equal({
      requests: inputs.map((text) => ({ taskType: 'RETRIEVAL_DOCUMENT', model: `models/${EMBED_MODEL}`, content: { parts: [{ text }] } })),
    });
    const expected = fixtureJson<{ embeddings: Array<{ values: number[] }> }>('batch-embed-contents.jsonc').embeddings.map((e) => e.values);
    expect(res.data.map((d) => [d.index, d.embedding])).to.deep.equal(expected.map((values, i) => [i, values]));
    const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
    expect(res.usage).to.deep.equal({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('sends a one-element list through embedContent', async () => {
    const captured = intercept(mock.agent, EMBED_PATHS.embed, { body: fixture('embed-content.jsonc') });
    const res = await mock.provider.embeddings!({ model: EMBED_MODEL, input: ['only'] }, callContext());
    expect(captured.body.content).to.deep.equal({ parts: [{ text: 'only' }] });
    expect(res.data).to.have.length(1);
  });

  it('answers a batch with the wrong number of vectors with a 502', async () => {
    intercept(mock.agent, EMBED_PATHS.batchEmbed, { body: fixture('batch-embed-contents.jsonc') });
    const error = await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: ['a', 'b'] }, callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.message).to.contain('3 embeddings for 2 inputs');
  });

  it('answers a vector that is not numbers with a 502', async () => {
    intercept(mock.agent, EMBED_PATHS.embed, { body: '{"embedding": {"values": ["0.1"]}}' });
    const error = await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: 'x' }, callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('keeps Google’s 400 message', async () => {
    intercept(mock.agent, EMBED_PATHS.embed, { status: 400, body: fixture('error-invalid-argument.jsonc') });
    const error = await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: 'x' }, callContext()));
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('must be in the range');
  });

  for (const [name, input] of [
    ['token arrays', [1, 2, 3]],
    ['an empty list', []],
  ] as const) {
    it(`rejects ${name} with a 400 before any upstream call`, async () => {
      const error = await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input } as unknown as EmbeddingsRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.param).to.equal('input');
    });
  }
});
