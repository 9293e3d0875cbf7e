// Chat through Mistral's API: the request sent (URL, auth, translated body), the answer received,
// recorded streams replayed a few bytes at a time, and Mistral's error bodies.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider, { mistralToolCallId } from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.mistral.ai';
const CHAT = '/v1/chat/completions';
const KEY = 'mst-3f7a9c0e1b2d4e5f8a9b0c1d2e3f4a5b';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const streamed = (request: ChatRequest): ChatRequest => ({ ...request, stream: true, stream_options: { include_usage: true } });

describe('mistral: chat', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { mistral_api_key: KEY }, replaying(mock.agent), { model: 'mistral-large-latest' });
  });

  it('posts to {base}/chat/completions with only the bearer key, and translates the parameters', async () => {
    const sent = answer(mock.agent, API, CHAT, { body: wire.chatResponse });
    const res = await instance.chat!(
      {
        model: 'mistral-large-latest',
        messages: [
          { role: 'developer', content: 'Be brief.' },
          { role: 'user', name: 'alice', content: [{ type: 'text', text: 'What cheese is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/cheese.png' } }] },
        ],
        temperature: 1,
        seed: 42,
        max_completion_tokens: 100,
        stop: 'END',
        n: 2,
        presence_penalty: 0.5,
        user: 'user-1',
        logprobs: false,
        top_p: null as unknown as number,
        safe_prompt: true,
      },
      callContext(),
    );
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: CHAT,
      headers: HEADERS,
      body: {
        model: 'mistral-large-latest',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'What cheese is this?' }, { type: 'image_url', image_url: { url: 'https://example.com/cheese.png' } }] },
        ],
        temperature: 0.75,
        random_seed: 42,
        max_tokens: 100,
        stop: 'END',
        n: 2,
        presence_penalty: 0.5,
        safe_prompt: true,
      },
    });
    expect(res).to.deep.include({ id: wire.chatResponse.id, object: 'chat.completion', created: 1702256327, model: 'mistral-large-latest' });
    expect(res.choices[0]).to.deep.include({ index: 0, finish_reason: 'stop' });
    expect(res.choices[0]!.message.content).to.equal('The best French cheese depends on your taste; Comté is a classic.');
    expect(res.usage).to.deep.equal({ prompt_tokens: 16, completion_tokens: 34, total_tokens: 50 });
  });

  it('scales temperature from 0–2 onto 0–1.5', async () => {
    for (const [given, sentValue] of [[0, 0], [2, 1.5], [0.4, 0.3]] as const) {
      const sent = answer(mock.agent, API, CHAT, { body: wire.chatResponse });
      await instance.chat!({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: given }, callContext());
      expect(sent.requests[0]!.body.temperature).to.be.closeTo(sentValue, 1e-12);
    }
  });

  it('translates tools, tool_choice "required" and an OpenAI tool-call history', async () => {
    const sent = answer(mock.agent, API, CHAT, { body: wire.toolCallResponse });
    const openAIId = 'call_DdmO9pD3xa9XTPNJ32zg2hcA';
    const res = await instance.chat!(
      {
        model: 'mistral-large-latest',
        messages: [
          { role: 'user', content: 'What is the status of my payment T1000?' },
          { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: openAIId, type: 'function', function: { name: 'retrieve_payment_status', arguments: '{"transaction_id":"T1000"}' } }] },
          { role: 'tool', tool_call_id: openAIId, name: 'retrieve_payment_status', content: '{"status":"Paid"}' },
          { role: 'user', content: 'And T1001?' },
        ],
        tools: [
          { type: 'function', function: { name: 'retrieve_payment_status', description: 'Get payment status of a transaction', parameters: { type: 'object', properties: { transaction_id: { type: 'string' } }, required: ['transaction_id'] } } },
          { type: 'function', function: { name: 'list_transactions' } },
        ],
        tool_choice: 'required',
        parallel_tool_calls: false,
      },
      callContext(),
    );
    const id = mistralToolCallId(openAIId);
    expect(id).to.match(/^[A-Za-z0-9]{9}$/);
    expect(sent.requests[0]!.body).to.deep.equal({
      model: 'mistral-large-latest',
      messages: [
        { role: 'user', content: 'What is the status of my payment T1000?' },
        { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'retrieve_payment_status', arguments: '{"transaction_id":"T1000"}' } }] },
        { role: 'tool', tool_call_id: id, name: 'retrieve_payment_status', content: '{"status":"Paid"}' },
        { role: 'user', content: 'And T1001?' },
      ],
      tools: [
        { type: 'function', function: { name: 'retrieve_payment_status', description: 'Get payment status of a transaction', parameters: { type: 'object', properties: { transaction_id: { type: 'string' } }, required: ['transaction_id'] } } },
        { type: 'function', function: { name: 'list_transactions', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'any',
      parallel_tool_calls: false,
    });
    expect(res.choices[0]!.finish_reason).to.equal('tool_calls');
    expect(res.choices[0]!.message.tool_calls).to.deep.equal(wire.toolCallResponse.choices[0]!.message.tool_calls);
    // Mistral's own ids come back unchanged when the client replays them.
    expect(mistralToolCallId('D681PevKs')).to.equal('D681PevKs');
  });

  it('flattens content chunks, keeps the reasoning, and maps model_length to length', async () => {
    answer(mock.agent, API, CHAT, { body: wire.thinkingResponse });
    const res = await instance.chat!({ model: 'magistral-medium-latest', messages: [{ role: 'user', content: '2+2?' }] }, callContext());
    expect(res.choices[0]!.message).to.deep.equal({ role: 'assistant', content: '2 + 2 = 4.', reasoning_content: 'The user asks for 2+2. That is 4.' });
    expect(res.choices[0]!.finish_reason).to.equal('length');
  });

  it('refuses OpenAI-only parameters with a 400 naming Mistral, before any upstream call', async () => {
    const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    for (const [extra, param] of [
      [{ logit_bias: { '1234': 5 } }, 'logit_bias'],
      [{ logprobs: true }, 'logprobs'],
      [{ top_logprobs: 3 }, 'top_logprobs'],
      [{ functions: [{ name: 'f' }] }, 'functions'],
      [{ modalities: ['text', 'audio'] }, 'modalities'],
    ] as const) {
      const error = await rejection(instance.chat!({ ...base, ...extra }, callContext()));
      expect(error.status, param).to.equal(400);
      expect(error.message).to.match(new RegExp(`^${param}: .*\\(provider Mistral\\)\\.$`));
    }
  });

  it('streams a recorded answer; the usage on the finishing chunk becomes OpenAI\'s usage chunk', async () => {
    const sent = answer(mock.agent, API, CHAT, { body: wire.chatStream });
    const request = streamed({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'What is Coca-Cola?' }] });
    const chunks = await collect<ChatChunk>(instance.chatStream!(request, callContext()));
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'What is Coca-Cola?' }], stream: true });
    for (const chunk of chunks) expect(chunk).to.deep.include({ id: 'f798ebd5c41a45d88bb079635121cade', object: 'chat.completion.chunk', created: 1732548656, model: 'mistral-large-latest' });
    expect(chunks.map((c) => ({ choices: c.choices, usage: c.usage }))).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: undefined },
      { choices: [{ index: 0, delta: { content: 'Coca' }, finish_reason: null }], usage: undefined },
      { choices: [{ index: 0, delta: { content: '-Cola is a carbonated' }, finish_reason: null }], usage: undefined },
      { choices: [{ index: 0, delta: { content: ' soft drink. ☕ Très connu.' }, finish_reason: 'length' }], usage: undefined },
      { choices: [], usage: { prompt_tokens: 34, completion_tokens: 100, total_tokens: 134 } },
    ]);
  });

  it('sends no usage chunk when the client did not ask for one', async () => {
    answer(mock.agent, API, CHAT, { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, callContext()));
    expect(chunks).to.have.length(4);
    expect(chunks.some((c) => c.usage)).to.equal(false);
  });

  it('streams two parallel tool calls with their indices, type and finish reason', async () => {
    answer(mock.agent, API, CHAT, { body: wire.toolCallStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!(streamed({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'T1001?' }] }), callContext()));
    expect(chunks[1]!.choices[0]).to.deep.equal({
      index: 0,
      delta: {
        tool_calls: [
          { id: 'D681PevKs', type: 'function', index: 0, function: { name: 'retrieve_payment_status', arguments: '{"transaction_id": "T1001"}' } },
          { id: 'kx82LqPzT', type: 'function', index: 1, function: { name: 'retrieve_payment_date', arguments: '{"transaction_id": "T1001"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(chunks[2]).to.deep.include({ choices: [], usage: { prompt_tokens: 180, completion_tokens: 50, total_tokens: 230 } });
  });

  it('gives tool calls that repeat index 0 their own indices, and object arguments become JSON text', async () => {
    answer(mock.agent, API, CHAT, { body: wire.toolCallStreamSameIndex });
    const chunks = await collect<ChatChunk>(instance.chatStream!(streamed({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Weather?' }] }), callContext()));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls.map((c) => [c.index, c.id, c.function?.arguments])).to.deep.equal([
      [0, 'aB3dE5gH7', '{"city":"Paris"}'],
      [1, 'Zy9Xw8Vu7', '{"city": "Lyon"}'],
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['tool_calls']);
  });

  describe('errors in Mistral\'s format', () => {
    const request: ChatRequest = { model: 'mistral-large-latest', messages: [{ role: 'user', content: 'hi' }] };

    it('a 400 keeps its status and Mistral\'s message', async () => {
      answer(mock.agent, API, CHAT, { status: 400, body: wire.toolCallIdError });
      const error = await rejection(instance.chat!(request, callContext()));
      expect(error.status).to.equal(400);
      expect(error.message).to.equal(`Mistral rejected the request (400): ${wire.toolCallIdError.message}`);
    });

    it('a 422 validation error keeps its status and the validator\'s details', async () => {
      answer(mock.agent, API, CHAT, { status: 422, body: wire.validationError });
      const error = await rejection(Promise.resolve(instance.chatStream!(streamed(request), callContext())));
      expect(error.status).to.equal(422);
      expect(error.message).to.contain('Input should be less than or equal to 1.5');
    });

    it('a 401 keeps its status and never shows the key', async () => {
      answer(mock.agent, API, CHAT, { status: 401, body: wire.unauthorized });
      const error = await rejection(instance.chat!(request, callContext()));
      expect(error.status).to.equal(401);
      expect(error.message).to.equal('Mistral rejected the request (401): Unauthorized');
      expect(JSON.stringify(error)).to.not.contain(KEY);
    });

    it('a 503 becomes a 502, a 429 keeps Retry-After', async () => {
      answer(mock.agent, API, CHAT, { status: 503, body: wire.serviceUnavailable });
      expect((await rejection(instance.chat!(request, callContext()))).status).to.equal(502);
      answer(mock.agent, API, CHAT, { status: 429, body: { message: 'Requests rate limit exceeded' }, headers: { 'retry-after': '3' } });
      const limited = await rejection(instance.chat!(request, callContext()));
      expect([limited.status, limited.retryAfter]).to.deep.equal([429, 3]);
    });

    it('finish_reason "error" is a 502', async () => {
      const failed = structuredClone(wire.chatResponse);
      failed.choices[0]!.finish_reason = 'error';
      answer(mock.agent, API, CHAT, { body: failed });
      const error = await rejection(instance.chat!(request, callContext()));
      expect(error.status).to.equal(502);
      expect(error.message).to.contain('finish_reason "error"');
    });
  });
});
