// The requests the provider sends: OpenAI-format requests translated into PaLM API v1beta2
// bodies (https://developers.generativeai.google/api/rest/generativelanguage/models/generateMessage,
// .../generateText, .../embedText), checked on the wire.
import { expect } from 'chai';
import type { ChatRequest, CompletionsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, newAgent, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import provider from '../src/index.js';
import { API_KEY, CHAT_MODEL, TEXT_MODEL, fixture, instance, intercept, path } from './helpers.js';

describe('palm: chat request translation (generateMessage)', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  async function sent(request: Partial<ChatRequest>, p: ProviderInstance = mock.provider, urlPath = path(CHAT_MODEL, 'generateMessage'), origin?: string): Promise<Captured> {
    const captured = intercept(mock.agent, urlPath, { body: fixture('generate-message.jsonc') }, origin);
    await p.chat!({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'hi' }], ...request } as ChatRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  it('posts to {base}/models/{model}:generateMessage with the key in x-goog-api-key, never in the URL', async () => {
    const captured = await sent({});
    expect(captured.method).to.equal('POST');
    expect(captured.path).to.equal('/v1beta2/models/chat-bison-001:generateMessage');
    expect(captured.path).to.not.contain('key=');
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.headers['content-type']).to.equal('application/json');
    expect(captured.headers).to.not.have.property('authorization');
  });

  it('sends a MessagePrompt: system and developer messages as context, authors "0" and "1", no model field', async () => {
    const captured = await sent({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hi! How can I help you today?' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: [{ type: 'text', text: 'How are you?' }, { type: 'text', text: 'And the weather?' }] },
      ],
    });
    expect(captured.body).to.deep.equal({
      prompt: {
        context: 'Be brief.\n\nAnswer in French.',
        messages: [
          { author: '0', content: 'hi' },
          { author: '1', content: 'Hi! How can I help you today?' },
          { author: '0', content: 'How are you?\nAnd the weather?' },
        ],
      },
    });
  });

  it('merges consecutive turns of one author, as PaLM turns alternate', async () => {
    const captured = await sent({
      messages: [
        { role: 'user', content: 'First.' },
        { role: 'user', content: 'Second.' },
        { role: 'assistant', content: 'A.' },
        { role: 'assistant', content: 'B.' },
        { role: 'user', content: 'Third.' },
      ],
    });
    expect((captured.body.prompt as Record<string, unknown>).messages).to.deep.equal([
      { author: '0', content: 'First.\n\nSecond.' },
      { author: '1', content: 'A.\n\nB.' },
      { author: '0', content: 'Third.' },
    ]);
  });

  it('puts PaLM’s own context and examples into the prompt (context before system messages)', async () => {
    const examples = [{ input: { content: 'hello' }, output: { content: 'bonjour' } }];
    const captured = await sent({
      context: 'Translate to French.',
      examples,
      messages: [
        { role: 'system', content: 'Be polite.' },
        { role: 'user', content: 'good night' },
      ],
    });
    expect(captured.body.prompt).to.deep.equal({
      context: 'Translate to French.\n\nBe polite.',
      examples,
      messages: [{ author: '0', content: 'good night' }],
    });
  });

  it('translates the parameters through the table: temperature scaled 0–2 → 0–1, n → candidateCount, top_p/top_k → topP/topK', async () => {
    const captured = await sent({
      temperature: 1.5,
      n: 2,
      top_p: 0.8,
      top_k: 10,
      seed: 42,
      user: 'user-1',
      presence_penalty: 0,
      frequency_penalty: null as unknown as number,
      tools: [],
      tool_choice: 'none',
      response_format: { type: 'text' },
      stream: false,
    });
    const { prompt: _prompt, ...params } = captured.body;
    expect(params).to.deep.equal({ temperature: 0.75, candidateCount: 2, topP: 0.8, topK: 10 });
  });

  it('scales temperature linearly at both ends of the range', async () => {
    expect((await sent({ temperature: 0 })).body.temperature).to.equal(0);
    expect((await sent({ temperature: 2 })).body.temperature).to.equal(1);
    expect((await sent({ temperature: 0.5 })).body.temperature).to.equal(0.25);
  });

  it('passes parameters the table does not name through untouched', async () => {
    const captured = await sent({ someFutureField: { a: 1 } });
    expect(captured.body.someFutureField).to.deep.equal({ a: 1 });
  });

  it('uses palm_api_base (trailing slash tolerated) and accepts a model written as models/…', async () => {
    const custom = await instance(mock.agent, 'models/chat-bison-001', { palm_api_key: API_KEY, palm_api_base: 'https://provider.example.com/v1beta2/' });
    const captured = await sent({}, custom, '/v1beta2/models/chat-bison-001:generateMessage', 'https://provider.example.com');
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
  });

  const rejected: Array<[string, Partial<ChatRequest>, string]> = [
    ['tools', { tools: [{ type: 'function', function: { name: 'get_weather' } }] }, 'PaLM has no function calling'],
    ['tool_choice', { tool_choice: 'required' }, 'PaLM has no function calling'],
    ['max_tokens', { max_tokens: 100 }, 'no output token limit'],
    ['max_completion_tokens', { max_completion_tokens: 100 }, 'no output token limit'],
    ['stop', { stop: ['END'] }, 'no stop sequences'],
    ['n', { n: 9 }, '1 to 8 candidates'],
    ['presence_penalty', { presence_penalty: 0.5 }, 'no presence penalty'],
    ['logit_bias', { logit_bias: { '50256': -100 } }, 'logit_bias'],
    ['response_format', { response_format: { type: 'json_object' } }, 'no JSON mode'],
    ['messages[0].content[1].type', { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }, 'text only'],
    ['messages[1].role', { messages: [{ role: 'user', content: 'hi' }, { role: 'tool', content: '{}', tool_call_id: 'call_1' }] }, 'not supported by PaLM'],
    ['messages[0].tool_calls', { messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'no function calling'],
    ['messages', { messages: [{ role: 'system', content: 'Only a system message.' }] }, 'at least one user or assistant message'],
  ];
  for (const [param, request, text] of rejected) {
    it(`answers 400 naming ${param} and PaLM, without calling upstream`, async () => {
      const error = await rejection(mock.provider.chat!({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'hi' }], ...request } as ChatRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.code).to.equal('GW_ERR_BAD_REQUEST');
      expect(error.param).to.equal(param);
      expect(error.message).to.contain(text);
      expect(error.message).to.contain('palm');
    });
  }

  it('names the provider as the config wrote it in rejections', async () => {
    const named = await instance(mock.agent, CHAT_MODEL, { palm_api_key: API_KEY }, 'PaLM');
    const error = await rejection(named.chat!({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f' } }] } as ChatRequest, callContext()));
    expect(error.message).to.contain('(provider PaLM)');
  });
});

describe('palm: completions request translation (generateText)', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, (dispatcher) => instance(dispatcher, TEXT_MODEL));

  async function sent(request: Partial<CompletionsRequest>): Promise<Captured> {
    const captured = intercept(mock.agent, path(TEXT_MODEL, 'generateText'), { body: fixture('generate-text.jsonc') });
    await mock.provider.completions!({ model: TEXT_MODEL, prompt: 'Write a story about a magic backpack.', ...request } as CompletionsRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  it('sends the prompt as {text} with every documented generateText parameter', async () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_TOXICITY', threshold: 'BLOCK_ONLY_HIGH' }];
    const captured = await sent({
      prompt: ['Give an example of a title for a story about a magic backpack. Title: '],
      temperature: 2,
      n: 3,
      max_tokens: 800,
      top_p: 0.8,
      top_k: 10,
      stop: 'Title',
      safetySettings,
      echo: false,
      best_of: 1,
    });
    expect(captured.path).to.equal('/v1beta2/models/text-bison-001:generateText');
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.body).to.deep.equal({
      prompt: { text: 'Give an example of a title for a story about a magic backpack. Title: ' },
      temperature: 1,
      candidateCount: 3,
      maxOutputTokens: 800,
      topP: 0.8,
      topK: 10,
      stopSequences: ['Title'],
      safetySettings,
    });
  });

  it('keeps a list of stop sequences', async () => {
    expect((await sent({ stop: ['a', 'b'] })).body.stopSequences).to.deep.equal(['a', 'b']);
  });

  const rejected: Array<[string, Partial<CompletionsRequest>, string]> = [
    ['prompt', { prompt: ['one', 'two'] }, 'one prompt per request'],
    ['prompt', { prompt: [1, 2, 3] as unknown as string }, 'token arrays'],
    ['stop', { stop: ['1', '2', '3', '4', '5', '6'] }, 'at most 5 stop sequences'],
    ['echo', { echo: true }, 'cannot echo'],
    ['suffix', { suffix: 'end' }, 'suffix'],
    ['best_of', { best_of: 3 }, 'best_of'],
    ['logprobs', { logprobs: 5 as unknown as boolean }, 'log probabilities'],
    ['n', { n: 0 }, '1 to 8'],
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

describe('palm: configuration', () => {
  it('requires a key and a model name', async () => {
    const agent = newAgent();
    expect(() => provider.create({ palm_api_key: '' }, { dispatcher: agent, model: CHAT_MODEL } as never)).to.throw(/palm_api_key/);
    const error = await rejection(instance(agent, ''));
    expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(error.message).to.contain('model.name');
    await agent.close();
  });

  it('declares the key as a secret and has no stream methods', async () => {
    expect(provider.secretOptions).to.deep.equal(['palm_api_key']);
    const agent = newAgent();
    const palm = await instance(agent);
    expect(palm.chatStream).to.equal(undefined);
    expect(palm.completionsStream).to.equal(undefined);
    expect(palm.capabilities).to.include({ streaming: false, tools: false, usage: 'estimated' });
    await agent.close();
  });
});
