// The requests the provider sends to an MLflow model server: POST {model_server_url}/invocations
// with {"inputs": [...], "params": {...}}, as MLflow's MlflowModelServingProvider built them
// (mlflow/gateway/providers/mlflow.py `_process_payload`), checked on the wire.
import { expect } from 'chai';
import type { ChatRequest, CompletionsRequest, EmbeddingsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, newAgent, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import provider, { invocationsUrl } from '../src/index.js';
import { INVOCATIONS, MODEL, fixture, instance, intercept } from './helpers.js';

describe('mlflow-model-serving: chat requests', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  async function sent(request: Partial<ChatRequest>, p: ProviderInstance = mock.provider, urlPath = INVOCATIONS, origin?: string): Promise<Captured> {
    const captured = intercept(mock.agent, urlPath, { body: fixture('predictions-list.jsonc') }, origin);
    await p.chat!({ model: MODEL, messages: [{ role: 'user', content: 'question' }], ...request } as ChatRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  it('sends one message as MLflow did: {"inputs": [content]}, no params when there are none, no auth header', async () => {
    const captured = await sent({});
    expect(captured.method).to.equal('POST');
    expect(captured.path).to.equal('/invocations');
    expect(captured.headers['content-type']).to.equal('application/json');
    expect(captured.headers).to.not.have.property('authorization');
    expect(captured.body).to.deep.equal({ inputs: ['question'] });
  });

  it('passes the parameters unchanged as params (temperature unscaled, stop as a list, extras kept)', async () => {
    const captured = await sent({ temperature: 1.5, max_tokens: 64, n: 2, top_p: 0.9, stop: 'END', top_k: 3, presence_penalty: 0.5, user: 'u-1', stream: false, tools: [] });
    expect(captured.body).to.deep.equal({
      inputs: ['question'],
      params: { temperature: 1.5, max_tokens: 64, n: 2, top_p: 0.9, stop: ['END'], top_k: 3, presence_penalty: 0.5, user: 'u-1' },
    });
  });

  it('maps max_completion_tokens to max_tokens', async () => {
    expect((await sent({ max_completion_tokens: 10 })).body.params).to.deep.equal({ max_tokens: 10 });
  });

  it('sends a conversation as the named input {"messages": [...]} (developer → system, text parts joined)', async () => {
    const captured = await sent({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'there' }] },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ],
      temperature: 0.2,
    });
    expect(captured.body).to.deep.equal({
      inputs: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi\nthere' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'How are you?' },
        ],
      },
      params: { temperature: 0.2 },
    });
  });

  it('uses model_server_url as the base (trailing slash or /invocations tolerated)', async () => {
    const custom = await instance(mock.agent, MODEL, { model_server_url: 'https://serving.example.com/model/abc/' });
    await sent({}, custom, '/model/abc/invocations', 'https://serving.example.com');
    expect(invocationsUrl('http://localhost:5000/invocations')).to.equal('http://localhost:5000/invocations');
  });

  const rejected: Array<[string, Partial<ChatRequest>, string]> = [
    ['tools', { tools: [{ type: 'function', function: { name: 'lookup' } }] }, 'cannot call tools'],
    ['tool_choice', { tool_choice: 'required' }, 'cannot call tools'],
    ['messages', { messages: [] }, 'non-empty array'],
    ['messages[1].role', { messages: [{ role: 'user', content: 'hi' }, { role: 'tool', content: '{}', tool_call_id: 'c' }] }, 'not supported'],
    ['messages[0].content[0].type', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }, 'text only'],
  ];
  for (const [param, request, text] of rejected) {
    it(`answers 400 naming ${param}, without calling the server`, async () => {
      const error = await rejection(mock.provider.chat!({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], ...request } as ChatRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.param).to.equal(param);
      expect(error.message).to.contain(text);
      expect(error.message).to.contain('(provider mlflow-model-serving)');
    });
  }
});

describe('mlflow-model-serving: completions and embeddings requests', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('sends a prompt as a one-element inputs list, with params', async () => {
    const captured = intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-str.jsonc') });
    await mock.provider.completions!({ model: MODEL, prompt: 'hi', temperature: 0.5, top_k: 3, echo: false } as CompletionsRequest, callContext());
    expect(captured.body).to.deep.equal({ inputs: ['hi'], params: { temperature: 0.5, top_k: 3, echo: false } });
  });

  it('sends a list of prompts as inputs, as MLflow did', async () => {
    const captured = intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-list.jsonc') });
    const res = await mock.provider.completions!({ model: MODEL, prompt: ['hi', 'hello', 'bye'] }, callContext());
    expect(captured.body).to.deep.equal({ inputs: ['hi', 'hello', 'bye'] });
    expect(res.choices.map((c) => c.text)).to.deep.equal(['hello', 'hi', 'goodbye']);
  });

  it('sends embeddings inputs as a list, extra parameters as params', async () => {
    const captured = intercept(mock.agent, INVOCATIONS, { body: fixture('predictions-embeddings.jsonc') });
    await mock.provider.embeddings!({ model: MODEL, input: ['a sentence', 'another sentence'], output_value: 'sentence_embedding' } as EmbeddingsRequest, callContext());
    expect(captured.body).to.deep.equal({ inputs: ['a sentence', 'another sentence'], params: { output_value: 'sentence_embedding' } });
  });

  it('rejects token arrays with a 400', async () => {
    expect((await rejection(mock.provider.completions!({ model: MODEL, prompt: [[1, 2]] as unknown as string[] }, callContext()))).param).to.equal('prompt');
    expect((await rejection(mock.provider.embeddings!({ model: MODEL, input: [[1, 2]] }, callContext()))).param).to.equal('input[0]');
  });
});

describe('mlflow-model-serving: configuration', () => {
  it('requires model_server_url, declares no secrets and has no stream methods', async () => {
    const agent = newAgent();
    const error = await rejection(instance(agent, MODEL, {}));
    expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(error.message).to.contain('model_server_url');
    expect(provider.secretOptions).to.deep.equal([]);
    expect(provider.optionsSchema).to.deep.include({ required: ['model_server_url'] });
    const served = await instance(agent);
    expect(served.chatStream).to.equal(undefined);
    expect(served.completionsStream).to.equal(undefined);
    await agent.close();
  });
});
