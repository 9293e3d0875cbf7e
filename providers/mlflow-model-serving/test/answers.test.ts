// MLflow scoring-server answers: every shape the MLflow AI Gateway documents for MLflow Model
// Serving (https://mlflow.org/docs/latest/llms/deployments, "Supported Providers", notes * and
// **) is accepted; any other shape is a 502 naming the provider, the endpoint and the accepted
// shapes. Error bodies ({"error_code", "message"}, mlflow/pyfunc/scoring_server) → coded errors.
import { expect } from 'chai';
import type { ChatRequest, EmbeddingsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { ENDPOINT, INVOCATIONS, MODEL, fixture, fixtureJson, instance, intercept } from './helpers.js';

const chatRequest = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: 'What is the capital of France?' }], ...extra });

describe('mlflow-model-serving: accepted chat and completions shapes', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  const shapes: Array<[string, string, string[]]> = [
    ['{"predictions": str}', 'predictions-str.jsonc', ['Hello! How can I help you today?']],
    ['{"predictions": [str, ...]}', 'predictions-list.jsonc', ['hello', 'hi', 'goodbye']],
    ['{"predictions": {"candidates": str}}', 'predictions-candidates-str.jsonc', ['The capital of France is Paris.']],
    ['{"predictions": {"candidates": [str, ...]}}', 'predictions-candidates-list.jsonc', ['Paris.', 'The capital of France is Paris.']],
  ];

  for (const [shape, file, texts] of shapes) {
    it(`answers ${shape} as chat choices`, async () => {
      intercept(mock.agent, INVOCATIONS, { body: fixture(file) });
      const res = await mock.provider.chat!(chatRequest(), callContext());
      expect(res.object).to.equal('chat.completion');
      expect(res.id).to.match(/^chatcmpl-/);
      expect(res.model).to.equal(MODEL);
      expect(res.choices).to.deep.equal(texts.map((content, index) => ({ index, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null })));
    });

    it(`answers ${shape} as completion choices`, async () => {
      intercept(mock.agent, INVOCATIONS, { body: fixture(file) });
      const res = await mock.provider.completions!({ model: MODEL, prompt: 'What is the capital of France?' }, callContext());
      expect(res.object).to.equal('text_completion');
      expect(res.choices).to.deep.equal(texts.map((text, index) => ({ index, text, finish_reason: 'stop', logprobs: null })));
    });
  }

  it('estimates usage (the server reports none)', async () => {
    intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-candidates-str.jsonc') });
    const res = await mock.provider.chat!(chatRequest(), callContext());
    // "What is the capital of France?" is 30 characters (8 tokens); the answer 31 (8 tokens).
    expect(res.usage).to.deep.equal({ prompt_tokens: 8, completion_tokens: 8, total_tokens: 16 });
  });

  it('answers with the endpoint name as model when model.name is empty (it is only a reference)', async () => {
    const unnamed = await instance(mock.agent, '');
    intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-str.jsonc') });
    expect((await unnamed.chat!(chatRequest({ model: '' }), callContext())).model).to.equal(ENDPOINT);
  });
});

describe('mlflow-model-serving: rejected chat and completions shapes', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  const rejected: Array<[string, string, string]> = [
    ['transformers records {"predictions": [{"generated_text": ...}]}', fixture('predictions-generated-text.jsonc'), '{"predictions": [{"generated_text": str}, ...]}'],
    ['a dict without candidates {"predictions": {"choices": [...]}}', fixture('predictions-choices.jsonc'), '{"predictions": {"choices": [str, ...]}}'],
    ['an unwrapped chat completion', fixture('chat-completion-unwrapped.jsonc'), '{"id": str, "object": str, "created": int, "model": str, ...}'],
    ['an empty predictions list', '{"predictions": []}', '{"predictions": []}'],
    ['a list mixing strings and numbers', '{"predictions": ["a", 1]}', '{"predictions": [str | int, ...]}'],
    ['candidates that are not strings', '{"predictions": {"candidates": [1.5]}}', '{"predictions": {"candidates": [float, ...]}}'],
    ['no predictions key', '{"outputs": ["hi"]}', '{"outputs": [str, ...]}'],
    ['a bare JSON list', '["hi"]', '[str, ...]'],
  ];

  for (const [name, body, sketch] of rejected) {
    it(`answers 502 for ${name}, naming the provider, the endpoint and the accepted shapes`, async () => {
      intercept(mock.agent, INVOCATIONS, { body });
      const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
      expect(error.status).to.equal(502);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.message).to.equal(
        `MLflow Model Serving (endpoint "${ENDPOINT}") answered /invocations with ${sketch}, which an llm/v1/chat endpoint cannot use. ` +
          'Accepted: {"predictions": str}, {"predictions": [str, ...]}, {"predictions": {"candidates": str}} or {"predictions": {"candidates": [str, ...]}}.',
      );
    });
  }

  it('names the completions endpoint type and never echoes the model output', async () => {
    intercept(mock.agent, INVOCATIONS, { body: JSON.stringify({ predictions: { secret_text: 'do not leak me' } }) });
    const error = await rejection(mock.provider.completions!({ model: MODEL, prompt: 'x' }, callContext()));
    expect(error.message).to.contain('an llm/v1/completions endpoint');
    expect(error.message).to.contain('{"predictions": {"secret_text": str}}');
    expect(error.message).to.not.contain('do not leak me');
  });

  it('fails with 502 on a body that is not JSON', async () => {
    intercept(mock.agent, INVOCATIONS, { body: '<html>oops</html>' });
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.message).to.contain('MLflow Model Serving');
  });
});

describe('mlflow-model-serving: embeddings shapes', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  const request = (input: EmbeddingsRequest['input']): EmbeddingsRequest => ({ model: MODEL, input });

  it('accepts {"predictions": [[float, ...], ...]}: one vector per input', async () => {
    intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-embeddings.jsonc') });
    const res = await mock.provider.embeddings!(request(['a sentence', 'another sentence']), callContext());
    const vectors = fixtureJson<{ predictions: number[][] }>('predictions-embeddings.jsonc').predictions;
    expect(res).to.deep.equal({
      object: 'list',
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: MODEL,
      usage: { prompt_tokens: 3 + 4, total_tokens: 7 },
    });
  });

  it('accepts {"predictions": [float, ...]}: one vector for one input', async () => {
    intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-embedding-flat.jsonc') });
    const res = await mock.provider.embeddings!(request('a sentence'), callContext());
    expect(res.data).to.deep.equal([{ object: 'embedding', index: 0, embedding: fixtureJson<{ predictions: number[] }>('predictions-embedding-flat.jsonc').predictions }]);
  });

  it('answers 502 when the count of vectors does not match the inputs', async () => {
    intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-embedding-flat.jsonc') });
    const error = await rejection(mock.provider.embeddings!(request(['one', 'two']), callContext()));
    expect(error.status).to.equal(502);
    expect(error.message).to.equal(
      `MLflow Model Serving (endpoint "${ENDPOINT}") answered /invocations with 1 embedding for 2 inputs. ` +
        'Accepted: {"predictions": [float, ...]} (one vector) or {"predictions": [[float, ...], ...]} (one vector per input), one vector per input.',
    );
  });

  const rejected: Array<[string, string]> = [
    ['{"predictions": "text"}', '{"predictions": str}'],
    ['{"predictions": []}', '{"predictions": []}'],
    ['{"predictions": [[]]}', '{"predictions": [[], ...]}'],
    ['{"predictions": [[0.1, "x"]]}', '{"predictions": [[float | str, ...], ...]}'],
    ['{"predictions": {"embeddings": [[0.1]]}}', '{"predictions": {"embeddings": [[...], ...]}}'],
    ['{"predictions": [{"0": 0.1}]}', '{"predictions": [{"0": float}, ...]}'],
  ];
  for (const [body, sketch] of rejected) {
    it(`answers 502 for ${body}`, async () => {
      intercept(mock.agent, INVOCATIONS, { body });
      const error = await rejection(mock.provider.embeddings!(request('a'), callContext()));
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.message).to.equal(
        `MLflow Model Serving (endpoint "${ENDPOINT}") answered /invocations with ${sketch}, which an llm/v1/embeddings endpoint cannot use. ` +
          'Accepted: {"predictions": [float, ...]} (one vector) or {"predictions": [[float, ...], ...]} (one vector per input).',
      );
    });
  }
});

describe('mlflow-model-serving: server errors', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('maps a 400 to a 400 keeping the scoring server’s message', async () => {
    intercept(mock.agent, INVOCATIONS, { status: 400, body: fixture('error-bad-request.jsonc') });
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('MLflow Model Serving rejected the request (400)');
    expect(error.message).to.contain('Model is missing inputs');
    expect(error.upstreamBody).to.deep.equal(fixtureJson('error-bad-request.jsonc'));
  });

  it('maps a 500 to a 502 keeping the message', async () => {
    intercept(mock.agent, INVOCATIONS, { status: 500, body: fixture('error-internal.jsonc') });
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
    expect(error.status).to.equal(502);
    expect(error.message).to.contain('CUDA out of memory');
  });

  it('answers 502 when the server cannot be reached', async () => {
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_UNAVAILABLE');
    expect(error.message).to.contain('Could not reach MLflow Model Serving');
  });

  it('stops promptly and reports a cancelled call when aborted', async () => {
    intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-str.jsonc'), delay: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext({ signal: controller.signal })));
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
  });
});
