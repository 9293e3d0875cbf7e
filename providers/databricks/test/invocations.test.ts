// Chat, completions and embeddings through a serving endpoint's invocations URL: the request
// sent (path, Bearer token, body without `model`) and Databricks' answers read back.
import { expect } from 'chai';
import { agentPerTest, callContext, rejection } from '@gatehousejs/core/testing';
import type { ChatRequest, ToolDefinition } from '@gatehousejs/core';
import { MODEL, ORIGIN, PATH, TOKEN, fixture, fixtureJson, instance, intercept } from './helpers.js';

const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a location',
      parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
    },
  },
  // No description: must pass untouched.
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
];

const chatRequest = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'What is a mixture-of-experts model?' },
  ],
  ...extra,
});

describe('databricks invocations', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('posts a chat to /serving-endpoints/{name}/invocations with the Bearer token and no model in the body', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('chat.jsonc') });
    const db = await instance(mock.agent);
    const request = chatRequest({ temperature: 0.1, max_tokens: 256, stop: 'END', n: 2, top_k: 20, extra_params: { foo: 1 } });
    const res = await db.chat!(request, callContext());

    expect(sent.requests[0]!.path).to.equal(PATH);
    expect(sent.requests[0]!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    const { model: _endpointInUrl, ...body } = request;
    expect(sent.requests[0]!.body).to.deep.equal(body);
    expect(res).to.deep.equal(fixtureJson('chat.jsonc'));
  });

  it('accepts a workspace URL with a trailing slash or /serving-endpoints, and encodes the endpoint name', async () => {
    const sent = intercept(mock.agent, '/serving-endpoints/my%20endpoint%2Fv2/invocations', { body: fixture('chat.jsonc') });
    intercept(mock.agent, PATH, { body: fixture('chat.jsonc') });
    const odd = await instance(mock.agent, { databricks_workspace_url: `${ORIGIN}/` }, 'my endpoint/v2');
    await odd.chat!(chatRequest(), callContext());
    expect(sent.requests).to.have.length(1);
    const suffixed = await instance(mock.agent, { databricks_workspace_url: `${ORIGIN}/serving-endpoints/` });
    await suffixed.chat!(chatRequest(), callContext());
  });

  it('flattens a reasoning model’s content list: text in content, summaries in reasoning_content', async () => {
    intercept(mock.agent, PATH, { body: fixture('chat-reasoning.jsonc') });
    const db = await instance(mock.agent);
    const res = await db.chat!(chatRequest(), callContext());
    expect(res.choices[0]!.message).to.deep.include({ role: 'assistant', content: '17 × 3 = 51.', reasoning_content: 'The user asks for 17 × 3. 17 × 3 = 51.' });
    expect(res.usage).to.deep.equal({ prompt_tokens: 44, completion_tokens: 61, total_tokens: 105 });
  });

  it('sends tools as they are and reads tool calls back', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('chat-tools.jsonc') });
    const db = await instance(mock.agent);
    const res = await db.chat!(chatRequest({ tools: TOOLS, tool_choice: 'auto' }), callContext());
    expect(sent.requests[0]!.body.tools).to.deep.equal(TOOLS);
    expect(sent.requests[0]!.body.tool_choice).to.equal('auto');
    expect(res.choices[0]!.finish_reason).to.equal('tool_calls');
    expect(res.choices[0]!.message.content).to.equal(null);
    expect(res.choices[0]!.message.tool_calls).to.deep.equal([
      { id: 'call_9b0e3a9f-1d2c-4e5f-8a7b-6c5d4e3f2a1b', type: 'function', function: { name: 'get_current_weather', arguments: '{"location": "Amsterdam, NL", "unit": "celsius"}' } },
    ]);
  });

  it('posts a completion with `prompt`', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('completions.jsonc') });
    const db = await instance(mock.agent);
    const res = await db.completions!({ model: MODEL, prompt: 'What is Apache Spark?', max_tokens: 64, temperature: 0 }, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ prompt: 'What is Apache Spark?', max_tokens: 64, temperature: 0 });
    expect(res.object).to.equal('text_completion');
    expect(res.choices[0]).to.deep.include({ index: 0, text: ' Apache Spark is a unified analytics engine for large-scale data processing.', finish_reason: 'stop' });
    expect(res.usage).to.deep.equal({ prompt_tokens: 9, completion_tokens: 14, total_tokens: 23 });
  });

  it('posts embeddings with `input` and answers float vectors in order', async () => {
    const sent = intercept(mock.agent, '/serving-endpoints/databricks-bge-large-en/invocations', { body: fixture('embeddings.jsonc') });
    const db = await instance(mock.agent, {}, 'databricks-bge-large-en');
    const res = await db.embeddings!({ model: 'databricks-bge-large-en', input: ['first', 'second'] }, callContext());
    expect(sent.requests[0]!.path).to.equal('/serving-endpoints/databricks-bge-large-en/invocations');
    expect(sent.requests[0]!.body).to.deep.equal({ input: ['first', 'second'] });
    expect(res.object).to.equal('list');
    expect(res.data.map((d) => [d.index, d.object, d.embedding])).to.deep.equal([
      [0, 'embedding', [0.0189, -0.0461, 0.0173, 0.0298]],
      [1, 'embedding', [-0.0105, 0.0357, -0.0234, 0.0046]],
    ]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 11, total_tokens: 11 });
  });

  for (const method of ['chat', 'completions', 'embeddings'] as const) {
    it(`answers a 502 naming the provider when a custom model answers in its own shape (${method})`, async () => {
      intercept(mock.agent, PATH, { body: fixture('custom-model.jsonc') });
      const db = await instance(mock.agent);
      const call = {
        chat: () => db.chat!(chatRequest(), callContext()),
        completions: () => db.completions!({ model: MODEL, prompt: 'x' }, callContext()),
        embeddings: () => db.embeddings!({ model: MODEL, input: 'x' }, callContext()),
      }[method];
      const error = await rejection(call());
      expect(error.status).to.equal(502);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.message).to.contain('Databricks Model Serving').and.contain('Foundation Model API (OpenAI) format');
    });
  }
});
