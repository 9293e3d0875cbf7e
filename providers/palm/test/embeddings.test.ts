// PaLM API v1beta2 embeddings: one models/{model}:embedText call per input (v1beta2 has no
// batchEmbedText; see google/ai/generativelanguage/v1beta2/text_service.proto and
// https://developers.generativeai.google/api/rest/generativelanguage/models/embedText).
import { expect } from 'chai';
import type { EmbeddingsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, EMBED_MODEL, fixture, fixtureJson, instance, intercept, path } from './helpers.js';

const embedPath = path(EMBED_MODEL, 'embedText');
const vector = (name: string): number[] => fixtureJson<{ embedding: { value: number[] } }>(name).embedding.value;

describe('palm: embeddings (embedText)', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, (dispatcher) => instance(dispatcher, EMBED_MODEL));

  const request = (input: EmbeddingsRequest['input'], extra: Partial<EmbeddingsRequest> = {}): EmbeddingsRequest => ({ model: EMBED_MODEL, input, ...extra });

  it('embeds one text with {text} and the key header, estimating usage', async () => {
    const captured = intercept(mock.agent, embedPath, { body: fixture('embed-text.jsonc') });
    const res = await mock.provider.embeddings!(request('say something nice!', { user: 'u-1' }), callContext());
    expect(captured.path).to.equal('/v1beta2/models/embedding-gecko-001:embedText');
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.body).to.deep.equal({ text: 'say something nice!' });
    expect(res).to.deep.equal({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: vector('embed-text.jsonc') }],
      model: EMBED_MODEL,
      // "say something nice!" is 19 characters: 5 tokens by the four-characters rule.
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
  });

  it('makes one call per input and keeps the inputs’ order whatever order the answers come in', async () => {
    // The first call answers last.
    const first = intercept(mock.agent, embedPath, { body: fixture('embed-text.jsonc'), delay: 80 });
    const second = intercept(mock.agent, embedPath, { body: fixture('embed-text-b.jsonc') });
    const res = await mock.provider.embeddings!(request(['first text', 'second text']), callContext());
    expect([first.body, second.body]).to.deep.equal([{ text: 'first text' }, { text: 'second text' }]);
    expect(res.data.map((d) => d.index)).to.deep.equal([0, 1]);
    expect(res.data[0]!.embedding).to.deep.equal(vector('embed-text.jsonc'));
    expect(res.data[1]!.embedding).to.deep.equal(vector('embed-text-b.jsonc'));
    expect(res.usage).to.deep.equal({ prompt_tokens: 3 + 3, total_tokens: 6 });
  });

  it('runs at most eight calls at a time', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => `text ${i}`);
    let running = 0;
    let peak = 0;
    for (let i = 0; i < inputs.length; i++) {
      mock.agent
        .get('https://generativelanguage.googleapis.com')
        .intercept({ path: embedPath, method: 'POST' })
        .reply(() => {
          running += 1;
          peak = Math.max(peak, running);
          setTimeout(() => (running -= 1), 5);
          return { statusCode: 200, data: fixture('embed-text.jsonc'), responseOptions: { headers: { 'content-type': 'application/json' } } };
        })
        .delay(30);
    }
    const res = await mock.provider.embeddings!(request(inputs), callContext());
    expect(res.data).to.have.length(12);
    expect(peak).to.be.at.most(8);
  });

  it('fails the whole request with the first upstream error', async () => {
    intercept(mock.agent, embedPath, { body: fixture('embed-text.jsonc') });
    intercept(mock.agent, embedPath, { status: 400, body: fixture('error-invalid-argument.jsonc') });
    const error = await rejection(mock.provider.embeddings!(request(['a', 'b']), callContext()));
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('API key not valid');
  });

  it('cancels the calls still running once one fails', async () => {
    // Watch the signal each upstream call carries.
    const signals: AbortSignal[] = [];
    const watched = mock.agent.compose((dispatch) => (opts, handler) => {
      const signal = (opts as { signal?: unknown }).signal;
      if (signal instanceof AbortSignal) signals.push(signal);
      return dispatch(opts, handler);
    });
    const watchedPalm = await instance(watched, EMBED_MODEL);
    intercept(mock.agent, embedPath, { status: 400, body: fixture('error-invalid-argument.jsonc') });
    intercept(mock.agent, embedPath, { body: fixture('embed-text.jsonc'), delay: 5_000 });
    const started = Date.now();
    await rejection(watchedPalm.embeddings!(request(['fails', 'slow']), callContext()));
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(signals).to.have.length(2);
    expect(signals[1]!.aborted, 'the slow call should have been aborted').to.equal(true);
  });

  it('fails with 502 naming the input when an answer has no embedding', async () => {
    intercept(mock.agent, embedPath, { body: '{"embedding":{}}' });
    const error = await rejection(mock.provider.embeddings!(request('a'), callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.message).to.contain('input 0');
  });

  it('rejects token arrays and dimensions with a 400 before calling PaLM', async () => {
    const tokens = await rejection(mock.provider.embeddings!(request([[1, 2, 3]]), callContext()));
    expect(tokens.status).to.equal(400);
    expect(tokens.param).to.equal('input[0]');
    const dimensions = await rejection(mock.provider.embeddings!(request('a', { dimensions: 256 }), callContext()));
    expect(dimensions.param).to.equal('dimensions');
  });
});
