// Chat through TGI's Messages API (POST /v1/chat/completions, the default `hf_chat_api`): the
// body sent, TGI's answers of several versions mended into OpenAI's shape, tools both ways,
// n by parallel calls, and streams replayed in pieces.
import { expect } from 'chai';
import { agentPerTest, callContext, drain, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ToolDefinition } from '@gatehousejs/core';
import { MODEL, TOKEN, fixture, instance, intercept } from './helpers.js';

const PATH = '/v1/chat/completions';
const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather',
      parameters: {
        type: 'object',
        properties: { location: { type: 'string' }, format: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
        required: ['location', 'format'],
      },
    },
  },
  // A tool without a description must not break anything.
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
];

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! How can I help?' },
    { role: 'user', content: 'What is deep learning?' },
  ],
  ...extra,
});

/** Reassemble streamed tool calls by index. */
function toolCalls(chunks: ChatChunk[]) {
  const calls: { id?: string; type?: string; name?: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { arguments: '' });
      if (delta.id) {
        expect(call.id, 'the id comes once').to.equal(undefined);
        call.id = delta.id;
      }
      if (delta.type) call.type = delta.type;
      if (delta.function?.name) call.name = delta.function.name;
      call.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}

describe('huggingface-tgi chat (Messages API)', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('posts OpenAI’s body to {hf_server_url}/v1/chat/completions with the token', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('messages-chat.jsonc') });
    const tgi = await instance(mock.agent, { hf_api_token: TOKEN });
    const messages: ChatRequest['messages'] = [
      ...request().messages,
      { role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
    ];
    const res = await tgi.chat!(request({ messages, temperature: 0, seed: 3, max_completion_tokens: 64, stop: 'END', top_p: 1, n: 1, tools: TOOLS, tool_choice: 'auto' }), callContext());

    expect(sent.requests[0]!.path).to.equal(PATH);
    expect(sent.requests[0]!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(sent.requests[0]!.body).to.deep.equal({
      model: MODEL,
      messages,
      temperature: 0,
      seed: 3,
      max_tokens: 64,
      stop: ['END'],
      tools: TOOLS,
      tool_choice: 'auto',
    });
    expect(res.object).to.equal('chat.completion');
    expect(res.id).to.match(/^chatcmpl-/);
    expect(res.choices).to.have.length(1);
    expect(res.choices[0]!.message).to.deep.include({ role: 'assistant', content: 'Deep learning is a subset of machine learning that uses many-layered neural networks.' });
    expect(res.choices[0]!.finish_reason).to.equal('stop');
    expect(res.usage).to.deep.equal({ prompt_tokens: 23, completion_tokens: 19, total_tokens: 42 });
  });

  it('names the model "tgi" when the endpoint has none (TGI before 2.0 requires the field)', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('messages-chat.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.chat!(request({ model: '' }), callContext());
    expect(sent.requests[0]!.body.model).to.equal('tgi');
  });

  it('turns response_format into TGI’s grammar and refuses a logit_bias map', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('messages-chat.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.chat!(request({ response_format: { type: 'json_object' } }), callContext());
    expect(sent.requests[0]!.body.response_format).to.deep.equal({ type: 'json', value: { type: 'object' } });

    const error = await rejection(tgi.chat!(request({ logit_bias: { '1': 5 } }), callContext()));
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('logit_bias');
  });

  it('mends a TGI 1.4 answer: object, id and finish_reason "eos_token"', async () => {
    intercept(mock.agent, PATH, { body: fixture('messages-chat-1.4.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.chat!(request(), callContext());
    expect(res.object).to.equal('chat.completion');
    expect(res.id).to.be.a('string').and.not.equal('');
    expect(res.choices[0]!.finish_reason).to.equal('stop');
    expect(res.choices[0]!.message.content).to.equal('Deep learning is machine learning with deep neural networks.');
  });

  it('reads tool calls with JSON-object arguments as OpenAI tool calls, finish_reason "tool_calls"', async () => {
    intercept(mock.agent, PATH, { body: fixture('messages-tools.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.chat!(request({ tools: TOOLS }), callContext());
    const message = res.choices[0]!.message;
    expect(res.choices[0]!.finish_reason).to.equal('tool_calls');
    expect(message.content).to.equal(null);
    expect(message.tool_calls).to.deep.equal([
      { id: '0', type: 'function', function: { name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, France"}' } },
    ]);
  });

  it('reads TGI 1.4’s single tool call object (numeric id, arguments under "parameters")', async () => {
    intercept(mock.agent, PATH, { body: fixture('messages-tools-1.4.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.chat!(request({ tools: TOOLS }), callContext());
    const calls = res.choices[0]!.message.tool_calls!;
    expect(calls).to.have.length(1);
    expect(calls[0]!.id).to.match(/^call-/);
    expect(calls[0]).to.deep.include({ type: 'function', function: { name: 'tools', arguments: '{"format":"celsius","location":"New York"}' } });
    expect(res.choices[0]!.finish_reason).to.equal('tool_calls');
  });

  it('sends tool results back in OpenAI’s form, untouched', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('messages-chat.jsonc') });
    const tgi = await instance(mock.agent);
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_current_weather', arguments: '{"location":"Paris","format":"celsius"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 18}' },
    ];
    await tgi.chat!(request({ messages, tools: TOOLS }), callContext());
    expect(sent.requests[0]!.body.messages).to.deep.equal(messages);
  });

  it('emulates n with parallel calls (TGI returns one choice), a seed each, usage added up', async () => {
    const first = intercept(mock.agent, PATH, { body: fixture('messages-chat.jsonc') });
    const second = intercept(mock.agent, PATH, { body: fixture('messages-chat-1.4.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.chat!(request({ n: 2, seed: 10, temperature: 0.8 }), callContext());
    const bodies = [...first.requests, ...second.requests].map((s) => s.body);
    expect(bodies.map((b) => b.seed).sort()).to.deep.equal([10, 11]);
    expect(bodies.every((b) => !('n' in b))).to.equal(true);
    expect(res.choices.map((c) => c.index)).to.deep.equal([0, 1]);
    expect(res.choices.map((c) => c.finish_reason)).to.deep.equal(['stop', 'stop']);
    expect(res.usage).to.deep.equal({ prompt_tokens: 44, completion_tokens: 31, total_tokens: 75 });
  });

  it('cancels the other parallel calls and reports the first failure', async () => {
    intercept(mock.agent, PATH, { status: 422, body: fixture('error-validation.jsonc') });
    intercept(mock.agent, PATH, { body: fixture('messages-chat.jsonc'), delay: 5_000 });
    const tgi = await instance(mock.agent);
    const started = Date.now();
    const error = await rejection(tgi.chat!(request({ n: 2 }), callContext()));
    expect(error.status).to.equal(422);
    expect(Date.now() - started).to.be.lessThan(2_000);
  });

  describe('streams', () => {
    const streamRequest = (extra: Partial<ChatRequest> = {}) => request({ stream: true, stream_options: { include_usage: true }, ...extra });

    it('replays TGI’s chunks in OpenAI’s shape, with the usage chunk', async () => {
      const sent = intercept(mock.agent, PATH, { body: fixture('messages-stream.sse') });
      const tgi = await instance(replaying(mock.agent, { chunkSize: 13, intervalMs: 1 }));
      const { items: chunks, error } = await drain(tgi.chatStream!(streamRequest(), callContext()));
      expect(error).to.equal(undefined);
      expect(sent.requests[0]!.body).to.deep.include({ stream: true, stream_options: { include_usage: true } });
      for (const chunk of chunks) expect(chunk.object).to.equal('chat.completion.chunk');
      expect(chunks[0]!.choices[0]!.delta.role).to.equal('assistant');
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Deep learning is a subset of machine learning.');
      expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
      const last = chunks[chunks.length - 1]!;
      expect(last.choices).to.deep.equal([]);
      expect(last.usage).to.deep.equal({ prompt_tokens: 23, completion_tokens: 10, total_tokens: 33 });
    });

    it('mends a TGI 1.4 stream: "text_completion" objects, finish_reason "eos_token", no [DONE]', async () => {
      intercept(mock.agent, PATH, { body: fixture('messages-stream-1.4.sse') });
      const tgi = await instance(mock.agent);
      const { items: chunks, error } = await drain(tgi.chatStream!(streamRequest(), callContext()));
      expect(error).to.equal(undefined);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).to.equal(true);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Hi!');
      expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
    });

    it('streams tool calls as OpenAI deltas: a list with index, one id, the name once, finish "tool_calls"', async () => {
      intercept(mock.agent, PATH, { body: fixture('messages-stream-tools.sse') });
      const tgi = await instance(replaying(mock.agent, { chunkSize: 29, intervalMs: 1 }));
      const { items: chunks, error } = await drain(tgi.chatStream!(streamRequest({ tools: TOOLS }), callContext()));
      expect(error).to.equal(undefined);
      for (const chunk of chunks) {
        const calls = chunk.choices[0]?.delta.tool_calls;
        if (calls !== undefined) expect(calls).to.be.an('array');
      }
      const calls = toolCalls(chunks);
      expect(calls).to.have.length(1);
      expect(calls[0]!.id).to.match(/^call-/);
      expect(calls[0]).to.deep.include({ type: 'function', name: 'get_current_weather' });
      expect(JSON.parse(calls[0]!.arguments)).to.deep.equal({ location: 'Paris, France', format: 'celsius' });
      expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['tool_calls']);
      expect(chunks[chunks.length - 1]!.usage).to.deep.include({ prompt_tokens: 312, completion_tokens: 24 });
    });

    it('refuses n > 1 with a 400 before calling TGI', async () => {
      const tgi = await instance(mock.agent);
      const error = await rejection(Promise.resolve(tgi.chatStream!(streamRequest({ n: 3 }), callContext())));
      expect(error.status).to.equal(400);
      expect(error.param).to.equal('n');
    });
  });
});
