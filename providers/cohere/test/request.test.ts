// The request the provider sends: OpenAI-format requests translated into Cohere v2 bodies
// (https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/embed), checked on the wire.
import { expect } from 'chai';
import type { ChatRequest, CompletionsRequest, EmbeddingsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, collect, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import {
  API_KEY,
  CHAT_PATH,
  EMBED_MODEL,
  EMBED_PATH,
  MODEL,
  fixture,
  instance,
  intercept,
  interceptChat,
  interceptStream,
} from './helpers.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Gets the weather of a place.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};
const TIME_TOOL = { type: 'function' as const, function: { name: 'get_time' } };

describe('cohere: request translation', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  /** Send a chat request and return what reached the upstream. */
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

  it('posts to /v2/chat with the key as a Bearer token and a JSON body', async () => {
    const captured = await sent({});
    expect(captured.method).to.equal('POST');
    expect(captured.path).to.equal(CHAT_PATH);
    expect(captured.headers.authorization).to.equal(`Bearer ${API_KEY}`);
    expect(captured.headers['content-type']).to.equal('application/json');
    expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('uses cohere_api_base, accepting a trailing /v1 (MLflow-era configs)', async () => {
    const custom = await instance(mock.agent, { cohere_api_key: API_KEY, cohere_api_base: 'https://proxy.example.com/cohere/v1/' });
    const captured = intercept(mock.agent, '/cohere/v2/chat', { body: fixture('chat-text.jsonc') }, 'https://proxy.example.com');
    await custom.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(captured.calls).to.equal(1);
  });

  it('translates the standard parameters through the table and passes Cohere’s own parameters through', async () => {
    const captured = await sent({
      temperature: 1,
      top_p: 1,
      top_k: 40,
      max_completion_tokens: 256,
      stop: 'END',
      seed: 7,
      n: 1,
      presence_penalty: 1,
      frequency_penalty: 0,
      user: 'user-42',
      metadata: { team: 'a' },
      parallel_tool_calls: true,
      logprobs: false,
      logit_bias: {},
      // Not in the table: Cohere's own parameter passes through.
      safety_mode: 'STRICT',
    });
    expect(captured.body).to.deep.equal({
      model: MODEL,
      temperature: 0.5,
      p: 0.99,
      k: 40,
      max_tokens: 256,
      stop_sequences: ['END'],
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: 0,
      safety_mode: 'STRICT',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('scales temperature 0–2 onto 0–1 and clamps p into 0.01–0.99', async () => {
    expect((await sent({ temperature: 2, top_p: 0.5, stop: ['a', 'b'] })).body).to.include({ temperature: 1, p: 0.5 });
    expect((await sent({ temperature: 0, top_p: 0 })).body).to.include({ temperature: 0, p: 0.01 });
    expect((await sent({ temperature: 0.3, max_tokens: 10, stop: ['a', 'b'] })).body).to.deep.include({ temperature: 0.15, max_tokens: 10, stop_sequences: ['a', 'b'] });
  });

  it('treats null parameters as absent', async () => {
    const captured = await sent({ temperature: null, stop: null, n: null, tools: null, tool_choice: null, response_format: null } as unknown as ChatRequest);
    expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('refuses negative penalties with a 400 naming the field and the provider', async () => {
    const presence = await refused({ presence_penalty: -0.5 });
    expect(presence.status).to.equal(400);
    expect(presence.param).to.equal('presence_penalty');
    expect(presence.message).to.contain('presence_penalty').and.to.contain('provider cohere');
    const frequency = await refused({ frequency_penalty: -2 });
    expect(frequency.param).to.equal('frequency_penalty');
  });

  it('refuses what Cohere cannot honour: logprobs, logit_bias, legacy functions, n above the emulation limit', async () => {
    expect((await refused({ logprobs: true })).param).to.equal('logprobs');
    expect((await refused({ logit_bias: { '50256': -100 } })).param).to.equal('logit_bias');
    expect((await refused({ functions: [{ name: 'f' }] } as unknown as ChatRequest)).param).to.equal('functions');
    const n = await refused({ n: 9 });
    expect(n.param).to.equal('n');
    expect(n.status).to.equal(400);
    expect((await refused({ n: 0 })).param).to.equal('n');
  });

  it('refuses n > 1 on a stream (emulation needs separate calls)', async () => {
    const error = await rejection(collect(mock.provider.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], n: 2, stream: true }, callContext())));
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('n');
    expect(error.message).to.contain('provider cohere');
  });

  it('maps system, developer, multi-turn history, tool calls (with their plan) and tool results natively', async () => {
    const captured = await sent({
      messages: [
        { role: 'system', content: 'You are a weather bot.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Weather in Madrid and Brasilia?' },
        {
          role: 'assistant',
          content: 'I will look both up.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Madrid"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Brasilia"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '24°C, sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '30°C, humid' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'get_time', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'call_3', content: '12:00' },
        { role: 'assistant', content: 'Madrid: 24°C. Brasilia: 30°C.' },
        { role: 'user', content: 'Thanks!' },
      ],
    });
    expect(captured.body.messages).to.deep.equal([
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'Weather in Madrid and Brasilia?' },
      {
        role: 'assistant',
        tool_plan: 'I will look both up.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Madrid"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Brasilia"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '24°C, sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '30°C, humid' }] },
      { role: 'assistant', tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_3', content: '12:00' },
      { role: 'assistant', content: 'Madrid: 24°C. Brasilia: 30°C.' },
      { role: 'user', content: 'Thanks!' },
    ]);
  });

  it('sends image parts as v2 image_url content blocks (URL and base64 data URL)', async () => {
    const captured = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    expect(captured.body.messages).to.deep.equal([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it('refuses malformed messages with a 400 naming the place', async () => {
    expect((await refused({ messages: [{ role: 'function', content: 'x', name: 'f' }] })).param).to.equal('messages[0].role');
    expect((await refused({ messages: [{ role: 'tool', content: 'x' }] })).param).to.equal('messages[0].tool_call_id');
    expect((await refused({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] })).param).to.equal('messages[0].content[0].type');
    expect((await refused({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] })).param).to.equal(
      'messages[0].content[0].image_url.url',
    );
    expect((await refused({ messages: [] })).param).to.equal('messages');
  });

  it('sends tools in v2’s function format; a tool without description or parameters is fine; strict becomes strict_tools', async () => {
    const captured = await sent({ tools: [WEATHER_TOOL, TIME_TOOL] });
    expect(captured.body.tools).to.deep.equal([
      WEATHER_TOOL,
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(captured.body).to.not.have.property('tool_choice');
    expect(captured.body).to.not.have.property('strict_tools');
    const strict = await sent({ tools: [{ type: 'function', function: { ...WEATHER_TOOL.function, strict: true } }] });
    expect(strict.body.strict_tools).to.equal(true);
    expect((strict.body.tools as Array<{ function: Record<string, unknown> }>)[0]!.function).to.not.have.property('strict');
  });

  it('maps tool_choice: required → REQUIRED, none → NONE, auto left out, a named function → only that tool with REQUIRED', async () => {
    expect((await sent({ tools: [WEATHER_TOOL], tool_choice: 'required' })).body.tool_choice).to.equal('REQUIRED');
    expect((await sent({ tools: [WEATHER_TOOL], tool_choice: 'none' })).body.tool_choice).to.equal('NONE');
    expect((await sent({ tools: [WEATHER_TOOL], tool_choice: 'auto' })).body).to.not.have.property('tool_choice');
    const named = await sent({ tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: { type: 'function', function: { name: 'get_time' } } });
    expect(named.body.tool_choice).to.equal('REQUIRED');
    expect((named.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).to.deep.equal(['get_time']);
    // Without tools, tool_choice means nothing and is not sent.
    expect((await sent({ tool_choice: 'required' })).body).to.not.have.property('tool_choice');
  });

  it('refuses a tool_choice naming no tool, and a tool without a name', async () => {
    expect((await refused({ tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'nope' } } })).param).to.equal('tool_choice.function.name');
    expect((await refused({ tools: [{ type: 'function', function: { name: '' } }] })).param).to.equal('tools[0].function.name');
  });

  it('maps response_format: json_object, json_schema (its schema), text (left out)', async () => {
    expect((await sent({ response_format: { type: 'json_object' } })).body.response_format).to.deep.equal({ type: 'json_object' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    expect((await sent({ response_format: { type: 'json_schema', json_schema: { name: 'city', schema } } })).body.response_format).to.deep.equal({
      type: 'json_object',
      json_schema: schema,
    });
    expect((await sent({ response_format: { type: 'text' } })).body).to.not.have.property('response_format');
  });

  it('streams with stream: true and asks for server-sent events', async () => {
    const captured = interceptStream(mock.agent, fixture('stream-text.sse'));
    await collect(mock.provider.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(captured.headers.accept).to.equal('text/event-stream');
    expect(captured.headers.authorization).to.equal(`Bearer ${API_KEY}`);
  });

  describe('completions (served through /v2/chat)', () => {
    it('sends the prompt as one user message with the translated parameters', async () => {
      const captured = interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
      const request: CompletionsRequest = { model: MODEL, prompt: 'Once upon a time', max_tokens: 16, temperature: 0.4, stop: ['\n'], echo: false };
      await mock.provider.completions!(request, callContext());
      expect(captured.path).to.equal(CHAT_PATH);
      expect(captured.body).to.deep.equal({
        model: MODEL,
        max_tokens: 16,
        temperature: 0.2,
        stop_sequences: ['\n'],
        messages: [{ role: 'user', content: 'Once upon a time' }],
      });
    });

    it('accepts a one-element prompt list and refuses several prompts, token prompts and echo', async () => {
      const captured = interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
      await mock.provider.completions!({ model: MODEL, prompt: ['Only one'] }, callContext());
      expect(captured.body.messages).to.deep.equal([{ role: 'user', content: 'Only one' }]);
      expect((await rejection(mock.provider.completions!({ model: MODEL, prompt: ['a', 'b'] }, callContext()))).param).to.equal('prompt');
      expect((await rejection(mock.provider.completions!({ model: MODEL, prompt: [1, 2] as unknown as string[] }, callContext()))).param).to.equal('prompt');
      expect((await rejection(mock.provider.completions!({ model: MODEL, prompt: 'x', echo: true }, callContext()))).param).to.equal('echo');
    });
  });

  describe('embeddings (/v2/embed)', () => {
    async function embedSent(request: Partial<EmbeddingsRequest>, p: ProviderInstance = mock.provider): Promise<Captured> {
      const captured = intercept(mock.agent, EMBED_PATH, { body: fixture('embed.jsonc') });
      await p.embeddings!({ model: EMBED_MODEL, input: ['sunny day at the beach', 'rainy day in the city'], ...request }, callContext());
      return captured;
    }

    it('sends texts, the default input_type search_document and embedding_types ["float"]', async () => {
      const captured = await embedSent({ dimensions: 256, user: 'u-1' });
      expect(captured.path).to.equal(EMBED_PATH);
      expect(captured.headers.authorization).to.equal(`Bearer ${API_KEY}`);
      expect(captured.body).to.deep.equal({
        model: EMBED_MODEL,
        input_type: 'search_document',
        output_dimension: 256,
        texts: ['sunny day at the beach', 'rainy day in the city'],
        embedding_types: ['float'],
      });
    });

    it('takes input_type from the embedding_input_type option, and a request’s own input_type wins', async () => {
      const queries = await instance(mock.agent, { cohere_api_key: API_KEY, embedding_input_type: 'search_query' }, EMBED_MODEL);
      expect((await embedSent({}, queries)).body.input_type).to.equal('search_query');
      expect((await embedSent({ input_type: 'clustering' }, queries)).body.input_type).to.equal('clustering');
    });

    it('embeds a single string as one text and refuses token arrays and other embedding types', async () => {
      const captured = intercept(mock.agent, EMBED_PATH, { body: fixture('embed-conformance.jsonc') });
      const error = await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: 'one' }, callContext()));
      // One text sent, two vectors back: a malformed answer, but the request was right.
      expect(captured.body.texts).to.deep.equal(['one']);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect((await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: [[1, 2, 3]] }, callContext()))).param).to.equal('input');
      expect((await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: ['a'], embedding_types: ['int8'] }, callContext()))).param).to.equal(
        'embedding_types',
      );
    });
  });
});
