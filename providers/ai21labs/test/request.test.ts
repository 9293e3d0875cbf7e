// The request the provider sends: OpenAI-format requests translated into AI21 chat completions
// bodies (https://docs.ai21.com/reference/jamba-1-6-api-ref) and J2 complete bodies
// (https://docs.ai21.com/reference/j2-complete-ref), checked on the wire.
import { expect } from 'chai';
import type { ChatRequest, CompletionsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, collect, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import { API_KEY, CHAT_PATH, J2_MODEL, J2_PATH, MODEL, fixture, instance, intercept, interceptChat, interceptStream } from './helpers.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Gets the weather of a place.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

describe('ai21labs: request translation', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  async function sent(request: Partial<ChatRequest>, p: ProviderInstance = mock.provider): Promise<Captured> {
    const captured = interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
    await p.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...request } as ChatRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  async function refused(request: Partial<ChatRequest>): Promise<{ status: number; message: string; param: string | undefined }> {
    const error = await rejection(mock.provider.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...request } as ChatRequest, callContext()));
    return { status: error.status, message: error.message, param: error.param };
  }

  describe('chat (Jamba chat completions API)', () => {
    it('posts to /studio/v1/chat/completions with the key as a Bearer token', async () => {
      const captured = await sent({});
      expect(captured.method).to.equal('POST');
      expect(captured.path).to.equal(CHAT_PATH);
      expect(captured.headers.authorization).to.equal(`Bearer ${API_KEY}`);
      expect(captured.headers['content-type']).to.equal('application/json');
      expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    });

    it('uses ai21labs_api_base, accepting a base that already ends in /studio/v1 (MLflow’s)', async () => {
      const custom = await instance(mock.agent, { ai21labs_api_key: API_KEY, ai21labs_api_base: 'https://ai21.example.com/proxy/studio/v1/' });
      const captured = intercept(mock.agent, '/proxy/studio/v1/chat/completions', { body: fixture('chat-text.jsonc') }, 'https://ai21.example.com');
      await custom.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }, callContext());
      expect(captured.calls).to.equal(1);
    });

    it('passes temperature unscaled (AI21’s range is 0–2), and translates the rest through the table', async () => {
      const captured = await sent({
        temperature: 1.6,
        top_p: 0.9,
        max_completion_tokens: 512,
        stop: 'END',
        n: 3,
        seed: 42,
        user: 'u-1',
        presence_penalty: 0,
        frequency_penalty: 0,
        parallel_tool_calls: false,
        logprobs: false,
        // Not in the table: AI21's own parameter passes through.
        documents: [{ content: 'The sky is green here.' }],
      });
      expect(captured.body).to.deep.equal({
        model: MODEL,
        temperature: 1.6,
        top_p: 0.9,
        max_tokens: 512,
        stop: ['END'],
        documents: [{ content: 'The sky is green here.' }],
        messages: [{ role: 'user', content: 'Hi' }],
        n: 3,
      });
    });

    it('refuses what AI21 does not document: penalties, logprobs, logit_bias, json_schema, n above 16 or on a stream', async () => {
      const presence = await refused({ presence_penalty: 0.5 });
      expect(presence.status).to.equal(400);
      expect(presence.param).to.equal('presence_penalty');
      expect(presence.message).to.contain('provider ai21labs');
      expect((await refused({ frequency_penalty: -1 })).param).to.equal('frequency_penalty');
      expect((await refused({ logprobs: true })).param).to.equal('logprobs');
      expect((await refused({ logit_bias: { '1': 5 } })).param).to.equal('logit_bias');
      expect((await refused({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } })).param).to.equal('response_format.type');
      expect((await refused({ n: 17 })).param).to.equal('n');
      const stream = await rejection(collect(mock.provider.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], n: 2, stream: true }, callContext())));
      expect(stream.param).to.equal('n');
      expect(stream.message).to.contain('streaming');
    });

    it('maps system, developer, history, tool calls and tool results; text parts are joined', async () => {
      const captured = await sent({
        messages: [
          { role: 'system', content: 'You are a support bot.' },
          { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }] },
          { role: 'user', content: 'When does order 12345 arrive?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_order_delivery_date', arguments: '{"order_id":"12345"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '2025-05-04' },
          { role: 'assistant', content: 'It arrives on May 4.' },
          { role: 'user', content: [{ type: 'text', text: 'Thanks!' }] },
        ],
      });
      expect(captured.body.messages).to.deep.equal([
        { role: 'system', content: 'You are a support bot.' },
        { role: 'system', content: 'Be brief.\nBe kind.' },
        { role: 'user', content: 'When does order 12345 arrive?' },
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_order_delivery_date', arguments: '{"order_id":"12345"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '2025-05-04' },
        { role: 'assistant', content: 'It arrives on May 4.' },
        { role: 'user', content: 'Thanks!' },
      ]);
    });

    it('refuses image parts (Jamba reads text only) and malformed messages, naming the place', async () => {
      const image = await refused({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] });
      expect(image.param).to.equal('messages[0].content[0].type');
      expect(image.message).to.contain('text only');
      expect((await refused({ messages: [{ role: 'tool', content: 'x' }] })).param).to.equal('messages[0].tool_call_id');
      expect((await refused({ messages: [{ role: 'function', content: 'x', name: 'f' }] })).param).to.equal('messages[0].role');
    });

    it('sends function tools; a tool without description or parameters is fine', async () => {
      const captured = await sent({ tools: [WEATHER_TOOL, { type: 'function', function: { name: 'get_time' } }], tool_choice: 'auto' });
      expect(captured.body.tools).to.deep.equal([
        { type: 'function', function: { name: 'get_weather', parameters: WEATHER_TOOL.function.parameters, description: 'Gets the weather of a place.' } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ]);
      expect(captured.body).to.not.have.property('tool_choice');
    });

    it('honours tool_choice "none" by offering no tools, and refuses required / a named function', async () => {
      const none = await sent({ tools: [WEATHER_TOOL], tool_choice: 'none' });
      expect(none.body).to.not.have.property('tools');
      expect(none.body).to.not.have.property('tool_choice');
      const required = await refused({ tools: [WEATHER_TOOL], tool_choice: 'required' });
      expect(required.param).to.equal('tool_choice');
      expect(required.status).to.equal(400);
      expect((await refused({ tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } } })).param).to.equal('tool_choice');
    });

    it('passes response_format json_object (JSON mode)', async () => {
      expect((await sent({ response_format: { type: 'json_object' } })).body.response_format).to.deep.equal({ type: 'json_object' });
    });

    it('streams with stream: true and no stream_options (AI21 always reports usage on the last chunk)', async () => {
      const captured = interceptStream(mock.agent, fixture('stream-text.sse'));
      await collect(mock.provider.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }, callContext()));
      expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    });
  });

  describe('completions on a Jamba model (through the chat completions API)', () => {
    it('sends the prompt as one user message', async () => {
      const captured = interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
      await mock.provider.completions!({ model: MODEL, prompt: 'Once upon a time', max_tokens: 20, temperature: 0.8, stop: ['\n'] }, callContext());
      expect(captured.body).to.deep.equal({
        model: MODEL,
        max_tokens: 20,
        temperature: 0.8,
        stop: ['\n'],
        messages: [{ role: 'user', content: 'Once upon a time' }],
      });
    });
  });

  describe('completions on a J2 model (J2 complete API)', () => {
    let j2: ProviderInstance;
    beforeEach(async () => {
      j2 = await instance(mock.agent, undefined, J2_MODEL);
    });

    async function j2Sent(request: Partial<CompletionsRequest>, p: ProviderInstance = j2, path = J2_PATH): Promise<Captured> {
      const captured = intercept(mock.agent, path, { body: fixture('j2-complete.jsonc') });
      await p.completions!({ model: J2_MODEL, prompt: 'I will', ...request } as CompletionsRequest, callContext());
      expect(captured.calls).to.equal(1);
      return captured;
    }

    it('posts to /studio/v1/{model}/complete with the key, renaming and scaling the parameters', async () => {
      const captured = await j2Sent({
        n: 2,
        max_tokens: 16,
        temperature: 1.4,
        top_p: 0.9,
        stop: '\n',
        presence_penalty: 0.4,
        frequency_penalty: 1,
        count_penalty: 0.3,
        seed: 1,
        user: 'u-1',
        // Not in the table: J2's own parameter passes through.
        minTokens: 2,
      });
      expect(captured.path).to.equal(J2_PATH);
      expect(captured.headers.authorization).to.equal(`Bearer ${API_KEY}`);
      expect(captured.body).to.deep.equal({
        prompt: 'I will',
        numResults: 2,
        maxTokens: 16,
        temperature: 0.7,
        topP: 0.9,
        stopSequences: ['\n'],
        presencePenalty: { scale: 1 },
        frequencyPenalty: { scale: 250 },
        countPenalty: { scale: 0.3 },
        minTokens: 2,
      });
    });

    it('refuses negative penalties and what J2 cannot do (echo, logprobs, several prompts)', async () => {
      const presence = await rejection(j2.completions!({ model: J2_MODEL, prompt: 'x', presence_penalty: -0.1 }, callContext()));
      expect(presence.status).to.equal(400);
      expect(presence.param).to.equal('presence_penalty');
      expect(presence.message).to.contain('provider ai21labs');
      expect((await rejection(j2.completions!({ model: J2_MODEL, prompt: 'x', echo: true }, callContext()))).param).to.equal('echo');
      expect((await rejection(j2.completions!({ model: J2_MODEL, prompt: 'x', logprobs: 5 }, callContext()))).param).to.equal('logprobs');
      expect((await rejection(j2.completions!({ model: J2_MODEL, prompt: ['a', 'b'] }, callContext()))).param).to.equal('prompt');
    });

    it('keeps a custom model’s path (j2-grande/<name>) and honours the base URL', async () => {
      const custom = await instance(mock.agent, { ai21labs_api_key: API_KEY, ai21labs_api_base: 'https://api.ai21.com/studio/v1' }, 'j2-grande/my support bot');
      await j2Sent({}, custom, '/studio/v1/j2-grande/my%20support%20bot/complete');
    });

    it('has no completions stream (J2 does not stream): core answers 501', () => {
      expect(j2.completionsStream).to.equal(undefined);
      expect(typeof j2.chatStream).to.equal('function');
    });
  });
});
