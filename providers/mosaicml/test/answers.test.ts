// MosaicML inference API answers ({"outputs": [...]},
// https://docs.mosaicml.com/en/latest/inference.html) and error bodies → OpenAI-format answers
// and coded errors.
import { expect } from 'chai';
import type { ChatRequest, EmbeddingsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, CHAT_MODEL, EMBED_MODEL, TEXT_MODEL, fixture, fixtureJson, instance, intercept, path } from './helpers.js';

const chatRequest = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Tell me a joke' }], ...extra });

describe('mosaicml: chat and completions answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('answers the output as chat.completion with estimated usage', async () => {
    intercept(mock.agent, path(CHAT_MODEL), { body: fixture('predict-chat.jsonc') });
    const before = Math.floor(Date.now() / 1000);
    const res = await mock.provider.chat!(chatRequest(), callContext());
    expect(res.id).to.match(/^chatcmpl-/);
    expect(res.created).to.be.within(before, before + 2);
    expect({ ...res, id: '', created: 0 }).to.deep.equal({
      id: '',
      object: 'chat.completion',
      created: 0,
      model: CHAT_MODEL,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: "Why don't scientists trust atoms? Because they make up everything!", refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      // MosaicML reports no token counts: ceil(chars / 4) of "<s>[INST] Tell me a joke [/INST]"
      // (32 characters) and of the answer (67).
      usage: { prompt_tokens: 8, completion_tokens: 17, total_tokens: 25 },
    });
  });

  it('counts the prompt once per repetition when n > 1', async () => {
    intercept(mock.agent, path(CHAT_MODEL), { body: JSON.stringify({ outputs: ['a', 'b'] }) });
    const res = await mock.provider.chat!(chatRequest({ n: 2 }), callContext());
    expect(res.usage).to.deep.equal({ prompt_tokens: 16, completion_tokens: 2, total_tokens: 18 });
  });

  it('cuts each output at the first stop sequence', async () => {
    const text = await instance(mock.agent, TEXT_MODEL);
    const captured = intercept(mock.agent, path(TEXT_MODEL), { body: fixture('predict-batch.jsonc') });
    const res = await text.completions!({ model: TEXT_MODEL, prompt: ['Capital of France?', 'Capital of Italy?'], n: 2, stop: ['###', 'capital of France'] }, callContext());
    expect(captured.body.parameters).to.deep.equal({ stop: ['###', 'capital of France'] });
    expect(res.choices.map((c) => c.text)).to.deep.equal(['Paris is the ', 'The ', 'Rome is the capital of Italy.', "Italy's capital is Rome. "]);
  });

  it('reads the older `data` key too', async () => {
    intercept(mock.agent, path(CHAT_MODEL), { body: fixture('predict-data.jsonc') });
    const res = await mock.provider.completions!({ model: CHAT_MODEL, prompt: 'Write 3 reasons.' }, callContext());
    expect(res.choices[0]!.text).to.match(/^1\. The model will be more accurate\./);
  });

  it('fails with 502 when the answer does not hold one string per input', async () => {
    const bodies = ['<html></html>', '{}', '{"outputs":"hi"}', '{"outputs":[]}', '{"outputs":["a","b"]}', '{"outputs":[42]}'];
    for (const body of bodies) {
      intercept(mock.agent, path(CHAT_MODEL), { body });
      const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
      expect(error.code, body).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.status).to.equal(502);
      expect(error.message).to.contain('MosaicML');
    }
  });
});

describe('mosaicml: embeddings', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, (dispatcher) => instance(dispatcher, EMBED_MODEL));

  const request = (input: EmbeddingsRequest['input'], extra: Partial<EmbeddingsRequest> = {}): EmbeddingsRequest => ({ model: EMBED_MODEL, input, ...extra });

  it('sends {inputs: [texts]} and answers one vector per input', async () => {
    const captured = intercept(mock.agent, path(EMBED_MODEL), { body: fixture('predict-embeddings.jsonc') });
    const res = await mock.provider.embeddings!(request(['This is a test', 'Another one'], { user: 'u-1' }), callContext());
    expect(captured.path).to.equal('/instructor-large/v1/predict');
    expect(captured.headers.authorization).to.equal(API_KEY);
    expect(captured.body).to.deep.equal({ inputs: ['This is a test', 'Another one'] });
    const outputs = fixtureJson<{ outputs: number[][] }>('predict-embeddings.jsonc').outputs;
    expect(res).to.deep.equal({
      object: 'list',
      data: outputs.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: EMBED_MODEL,
      usage: { prompt_tokens: 4 + 3, total_tokens: 7 },
    });
  });

  it('sends a single string as a one-element list and accepts a flat vector back', async () => {
    const captured = intercept(mock.agent, path(EMBED_MODEL), { body: '{"outputs":[0.5,-0.25,0.125]}' });
    const res = await mock.provider.embeddings!(request('This is a test'), callContext());
    expect(captured.body).to.deep.equal({ inputs: ['This is a test'] });
    expect(res.data).to.deep.equal([{ object: 'embedding', index: 0, embedding: [0.5, -0.25, 0.125] }]);
  });

  it('passes extra parameters through at the top level, as MLflow did', async () => {
    const captured = intercept(mock.agent, path(EMBED_MODEL), { body: '{"outputs":[[1]]}' });
    await mock.provider.embeddings!(request(['x'], { instruction: 'Represent the document for retrieval:' }), callContext());
    expect(captured.body).to.deep.equal({ instruction: 'Represent the document for retrieval:', inputs: ['x'] });
  });

  it('fails with 502 on a count mismatch or a vector that is not numbers', async () => {
    for (const body of ['{"outputs":[[1,2]]}', '{"outputs":[[1,2],["a"]]}', '{"outputs":[[1,2],[]]}', '{"vectors":[[1],[2]]}']) {
      intercept(mock.agent, path(EMBED_MODEL), { body });
      const error = await rejection(mock.provider.embeddings!(request(['a', 'b']), callContext()));
      expect(error.code, body).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    }
  });

  it('rejects token arrays and dimensions with a 400', async () => {
    expect((await rejection(mock.provider.embeddings!(request([[1, 2]]), callContext()))).param).to.equal('input[0]');
    expect((await rejection(mock.provider.embeddings!(request('a', { dimensions: 64 }), callContext()))).param).to.equal('dimensions');
  });
});

describe('mosaicml: upstream errors', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  const cases = [
    { name: '400', status: 400, file: 'error-bad-request.jsonc', expectStatus: 400, code: 'GW_ERR_UPSTREAM_ERROR', text: 'inputs must be a list of strings' },
    { name: '401', status: 401, file: 'error-unauthorized.jsonc', expectStatus: 401, code: 'GW_ERR_UPSTREAM_ERROR', text: 'invalid API key' },
    { name: '429', status: 429, file: 'error-rate-limit.jsonc', expectStatus: 429, code: 'GW_ERR_RATE_LIMITED', text: 'Rate limit exceeded' },
    { name: '500 max output tokens', status: 500, file: 'error-max-output-tokens.jsonc', expectStatus: 400, code: 'GW_ERR_UPSTREAM_ERROR', text: 'max output tokens is limited to 4096' },
    { name: '500 prompt token count', status: 500, file: 'error-prompt-too-long.jsonc', expectStatus: 400, code: 'GW_ERR_UPSTREAM_ERROR', text: 'prompt token count (5120)' },
    { name: '500 other', status: 500, file: 'error-internal.jsonc', expectStatus: 502, code: 'GW_ERR_UPSTREAM_ERROR', text: 'Internal Server Error' },
    { name: '503', status: 503, file: 'error-internal.jsonc', expectStatus: 502, code: 'GW_ERR_UPSTREAM_ERROR', text: 'Internal Server Error' },
  ] as const;

  for (const c of cases) {
    it(`maps ${c.name} to ${c.expectStatus}, keeping MosaicML's message and never the key`, async () => {
      intercept(mock.agent, path(CHAT_MODEL), { status: c.status, body: fixture(c.file), headers: { 'content-type': 'application/json', 'retry-after': '5' } });
      const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
      expect(error.status).to.equal(c.expectStatus);
      expect(error.code).to.equal(c.code);
      expect(error.message).to.contain(c.text);
      expect(error.message).to.contain('MosaicML');
      expect(error.message).to.not.contain(API_KEY);
      expect(error.upstreamBody).to.deep.equal(fixtureJson(c.file));
      if (c.status === 429) expect(error.retryAfter).to.equal(5);
    });
  }

  it('stops promptly and reports a cancelled call when aborted', async () => {
    intercept(mock.agent, path(CHAT_MODEL), { body: fixture('predict-chat.jsonc'), delay: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext({ signal: controller.signal })));
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
  });

  it('answers 504 when MosaicML exceeds the time budget', async () => {
    intercept(mock.agent, path(CHAT_MODEL), { body: fixture('predict-chat.jsonc'), delay: 10_000 });
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext({ timeoutMs: 50 })));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
  });
});
