// The requests the provider sends to MosaicML's inference API
// (https://docs.mosaicml.com/en/latest/inference.html: POST {base}/{model}/v1/predict,
// Authorization: <key>, {"inputs": [...], "parameters": {...}}), checked on the wire. The chat
// template cases are the ones MLflow's MosaicML provider is tested with
// (tests/gateway/providers/test_mosaicml.py, test_valid_parsing).
import { expect } from 'chai';
import type { ChatMessage, ChatRequest, CompletionsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, newAgent, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import provider, { predictUrl } from '../src/index.js';
import { llama2Prompt } from '../src/request.js';
import { API_KEY, CHAT_MODEL, TEXT_MODEL, fixture, instance, intercept, path } from './helpers.js';

describe('mosaicml: the Llama-2 chat template (as MLflow built it)', () => {
  const cases: Array<[string, ChatMessage[], string]> = [
    [
      'system, user, assistant, user',
      [
        { role: 'system', content: 'Hello' },
        { role: 'user', content: 'Hi there' },
        { role: 'assistant', content: 'How can I help?' },
        { role: 'user', content: 'Thanks!' },
      ],
      '<s>[INST] <<SYS>> Hello <</SYS>> Hi there [/INST] How can I help? </s><s>[INST] Thanks! [/INST]',
    ],
    ['system, user', [{ role: 'system', content: 'Hello' }, { role: 'user', content: 'Hi there' }], '<s>[INST] <<SYS>> Hello <</SYS>> Hi there [/INST]'],
    ['user', [{ role: 'user', content: 'Hi there' }], '<s>[INST] Hi there [/INST]'],
    [
      'user, assistant, user',
      [
        { role: 'user', content: 'Hi there' },
        { role: 'assistant', content: 'How can I help?' },
        { role: 'user', content: 'Thanks!' },
      ],
      '<s>[INST] Hi there [/INST] How can I help? </s><s>[INST] Thanks! [/INST]',
    ],
    // Beyond MLflow's cases: what the same rules give.
    ['two user messages share one [INST] block', [{ role: 'user', content: 'One' }, { role: 'user', content: 'Two' }], '<s>[INST] One Two [/INST]'],
    ['a trailing assistant message is left open for the model to continue', [{ role: 'user', content: 'Count' }, { role: 'assistant', content: 'One, two,' }], '<s>[INST] Count [/INST] One, two, '],
    ['developer messages are system messages', [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi' }] }], '<s>[INST] <<SYS>> Be brief. <</SYS>> Hi [/INST]'],
  ];
  for (const [name, messages, expected] of cases) {
    it(name, () => {
      expect(llama2Prompt(messages, 'mosaicml')).to.equal(expected);
    });
  }
});

describe('mosaicml: chat request translation', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  async function sent(request: Partial<ChatRequest>, reply = fixture('predict-chat.jsonc'), p: ProviderInstance = mock.provider, urlPath = path(CHAT_MODEL), origin?: string): Promise<Captured> {
    const captured = intercept(mock.agent, urlPath, { body: reply }, origin);
    await p.chat!({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Tell me a joke' }], ...request } as ChatRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  it('posts {inputs: [prompt], parameters} to {base}/{model}/v1/predict with the bare key as Authorization', async () => {
    const captured = await sent({
      messages: [
        { role: 'system', content: "You're funny" },
        { role: 'user', content: 'Tell me a joke' },
      ],
    });
    expect(captured.method).to.equal('POST');
    expect(captured.path).to.equal('/llama2-70b-chat/v1/predict');
    expect(captured.headers.authorization).to.equal(API_KEY);
    expect(captured.headers['content-type']).to.equal('application/json');
    expect(captured.body).to.deep.equal({ inputs: ["<s>[INST] <<SYS>> You're funny <</SYS>> Tell me a joke [/INST]"], parameters: {} });
  });

  it('translates the parameters through the table into `parameters` (temperature unscaled, max_tokens → max_new_tokens, stop as a list)', async () => {
    const captured = await sent({
      temperature: 1.4,
      top_p: 0.9,
      top_k: 50,
      max_tokens: 1000,
      stop: '###',
      do_sample: true,
      use_cache: false,
      seed: 1,
      user: 'u-1',
      presence_penalty: 0,
      tools: [],
      tool_choice: 'auto',
      stream: false,
    });
    expect(captured.body.parameters).to.deep.equal({ temperature: 1.4, top_p: 0.9, top_k: 50, max_new_tokens: 1000, stop: ['###'], do_sample: true, use_cache: false });
  });

  it('maps max_completion_tokens to max_new_tokens', async () => {
    expect((await sent({ max_completion_tokens: 64 })).body.parameters).to.deep.equal({ max_new_tokens: 64 });
  });

  it('emulates n in one call: the prompt repeated n times, one choice per output', async () => {
    const reply = JSON.stringify({ outputs: ['Knock knock.', 'Why did the chicken cross the road?', 'I have none.'] });
    const captured = intercept(mock.agent, path(CHAT_MODEL), { body: reply });
    const res = await mock.provider.chat!({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Tell me a joke' }], n: 3 }, callContext());
    expect(captured.body.inputs).to.deep.equal(Array(3).fill('<s>[INST] Tell me a joke [/INST]'));
    expect(captured.body.parameters).to.deep.equal({});
    expect(res.choices.map((c) => [c.index, c.message.content])).to.deep.equal([
      [0, 'Knock knock.'],
      [1, 'Why did the chicken cross the road?'],
      [2, 'I have none.'],
    ]);
  });

  it('uses mosaicml_api_base and accepts a model name ending in /v1', async () => {
    const custom = await instance(mock.agent, 'llama2-70b-chat/v1', { mosaicml_api_key: API_KEY, mosaicml_api_base: 'https://provider.example.com/' });
    const captured = await sent({}, fixture('predict-chat.jsonc'), custom, '/llama2-70b-chat/v1/predict', 'https://provider.example.com');
    expect(captured.headers.authorization).to.equal(API_KEY);
    expect(predictUrl('https://x.test', 'mpt-7b-instruct/v1/predict')).to.equal('https://x.test/mpt-7b-instruct/v1/predict');
  });

  const rejected: Array<[string, Partial<ChatRequest>, string]> = [
    ['tools', { tools: [{ type: 'function', function: { name: 'get_weather' } }] }, 'no function calling'],
    ['tool_choice', { tool_choice: 'required' }, 'no function calling'],
    ['presence_penalty', { presence_penalty: 1 }, 'no presence penalty'],
    ['frequency_penalty', { frequency_penalty: -1 }, 'no frequency penalty'],
    ['logit_bias', { logit_bias: { '1': 5 } }, 'logit_bias'],
    ['logprobs', { logprobs: true }, 'log probabilities'],
    ['response_format', { response_format: { type: 'json_object' } }, 'no JSON mode'],
    ['n', { n: 1.5 }, 'positive integer'],
    ['messages', { messages: [] }, 'must not be empty'],
    ['messages[1].role', { messages: [{ role: 'user', content: 'hi' }, { role: 'tool', content: '{}', tool_call_id: 'c1' }] }, 'not supported by MosaicML'],
    ['messages[0].content[0].type', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }, 'text only'],
    ['messages[1].tool_calls', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'no function calling'],
  ];
  for (const [param, request, text] of rejected) {
    it(`answers 400 naming ${param} and the provider, without calling upstream`, async () => {
      const error = await rejection(mock.provider.chat!({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'hi' }], ...request } as ChatRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.code).to.equal('GW_ERR_BAD_REQUEST');
      expect(error.param).to.equal(param);
      expect(error.message).to.contain(text);
      expect(error.message).to.contain('(provider mosaicml)');
    });
  }
});

describe('mosaicml: completions request translation', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, (dispatcher) => instance(dispatcher, TEXT_MODEL));

  it('sends the prompt as the only input, parameters translated', async () => {
    const captured = intercept(mock.agent, path(TEXT_MODEL), { body: fixture('predict-completion.jsonc') });
    await mock.provider.completions!(
      { model: TEXT_MODEL, prompt: 'Write 3 reasons why you should train an AI model on domain specific data set.', temperature: 0.01, max_tokens: 256, echo: false },
      callContext(),
    );
    expect(captured.path).to.equal('/mpt-7b-instruct/v1/predict');
    expect(captured.body).to.deep.equal({
      inputs: ['Write 3 reasons why you should train an AI model on domain specific data set.'],
      parameters: { temperature: 0.01, max_new_tokens: 256 },
    });
  });

  it('sends a list of prompts as a batch, each repeated n times, in OpenAI’s choice order', async () => {
    const captured = intercept(mock.agent, path(TEXT_MODEL), { body: fixture('predict-batch.jsonc') });
    const res = await mock.provider.completions!({ model: TEXT_MODEL, prompt: ['Capital of France?', 'Capital of Italy?'], n: 2 }, callContext());
    expect(captured.body.inputs).to.deep.equal(['Capital of France?', 'Capital of France?', 'Capital of Italy?', 'Capital of Italy?']);
    expect(res.choices.map((c) => c.index)).to.deep.equal([0, 1, 2, 3]);
    expect(res.choices[2]!.text).to.equal('Rome is the capital of Italy.');
  });

  const rejected: Array<[string, Partial<CompletionsRequest>, string]> = [
    ['prompt', { prompt: [1, 2, 3] as unknown as string }, 'token arrays'],
    ['prompt', { prompt: [] as unknown as string }, 'non-empty list'],
    ['echo', { echo: true }, 'cannot echo'],
    ['suffix', { suffix: '}' }, 'suffix'],
    ['best_of', { best_of: 2 }, 'best_of'],
  ];
  for (const [param, request, text] of rejected) {
    it(`answers 400 for ${param}=${JSON.stringify(request[param as keyof CompletionsRequest])}`, async () => {
      const error = await rejection(mock.provider.completions!({ model: TEXT_MODEL, prompt: 'x', ...request } as CompletionsRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.param).to.equal(param);
      expect(error.message).to.contain(text);
    });
  }
});

describe('mosaicml: configuration', () => {
  it('requires a key and a model name', async () => {
    const agent = newAgent();
    expect(() => provider.create({ mosaicml_api_key: '' }, { dispatcher: agent, model: CHAT_MODEL } as never)).to.throw(/mosaicml_api_key/);
    const error = await rejection(instance(agent, ''));
    expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
    await agent.close();
  });

  it('declares the key as a secret and has no stream methods', async () => {
    expect(provider.secretOptions).to.deep.equal(['mosaicml_api_key']);
    const agent = newAgent();
    const mosaic = await instance(agent);
    expect(mosaic.chatStream).to.equal(undefined);
    expect(mosaic.completionsStream).to.equal(undefined);
    expect(mosaic.capabilities).to.include({ streaming: false, tools: false, usage: 'estimated' });
    await agent.close();
  });
});
