// The request the provider sends: OpenAI-format chat requests translated into Anthropic
// Messages API bodies (https://docs.anthropic.com/en/api/messages), checked on the wire.
import { expect } from 'chai';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import { API_KEY, MODEL, fixture, instance, interceptMessages } from './helpers.js';

describe('anthropic: chat request translation', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  /** Send `request` and return what reached the upstream. */
  async function sent(request: Partial<ChatRequest>, p: ProviderInstance = mock.provider): Promise<Captured> {
    const captured = interceptMessages(mock.agent, { body: fixture('message-text.jsonc') });
    await p.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...request } as ChatRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  it('posts to /v1/messages with the key, version and JSON headers', async () => {
    const captured = await sent({});
    expect(captured.method).to.equal('POST');
    expect(captured.path).to.equal('/v1/messages');
    expect(captured.headers['x-api-key']).to.equal(API_KEY);
    expect(captured.headers['anthropic-version']).to.equal('2023-06-01');
    expect(captured.headers['content-type']).to.equal('application/json');
    expect(captured.headers).to.not.have.property('authorization');
  });

  it('translates the standard parameters through the table and extracts system and developer messages', async () => {
    const captured = await sent({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'How are you?' },
      ],
      temperature: 1,
      top_p: 0.9,
      top_k: 40,
      stop: 'END',
      user: 'user-42',
      seed: 7,
      n: 1,
      presence_penalty: 0,
      response_format: { type: 'text' },
      // Not in the table: passes through as an Anthropic parameter.
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(captured.body).to.deep.equal({
      model: MODEL,
      system: 'Be brief.\n\nAnswer in French.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: 'How are you?' },
      ],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      max_tokens: 4096,
    });
  });

  it('scales temperature linearly from 0–2 onto 0–1', async () => {
    for (const [given, expected] of [
      [0, 0],
      [0.7, 0.35],
      [1.5, 0.75],
      [2, 1],
    ] as const) {
      const captured = await sent({ temperature: given });
      expect(captured.body.temperature, `temperature ${given}`).to.equal(expected);
    }
  });

  it('sends stop arrays as stop_sequences and honours max_tokens / max_completion_tokens', async () => {
    expect((await sent({ stop: ['\n\nHuman:', 'END'] })).body.stop_sequences).to.deep.equal(['\n\nHuman:', 'END']);
    expect((await sent({ max_tokens: 256 })).body.max_tokens).to.equal(256);
    expect((await sent({ max_completion_tokens: 300 })).body.max_tokens).to.equal(300);
  });

  it('treats null parameters as absent (max_tokens gets the default)', async () => {
    const captured = await sent({ temperature: null, stop: null, max_tokens: null, user: null } as unknown as Partial<ChatRequest>);
    expect(captured.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4096 });
  });

  it('takes the default max_tokens, base URL and version from the options', async () => {
    const custom = await instance(mock.agent, {
      anthropic_api_key: API_KEY,
      anthropic_api_base: 'https://anthropic-proxy.internal.example/v1/',
      anthropic_version: '2024-10-22',
      max_tokens: 1000,
    });
    const captured = interceptMessages(mock.agent, { body: fixture('message-text.jsonc') }, 'https://anthropic-proxy.internal.example');
    await custom.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(captured.path).to.equal('/v1/messages');
    expect(captured.headers['anthropic-version']).to.equal('2024-10-22');
    expect(captured.body.max_tokens).to.equal(1000);
  });

  it('keeps only Anthropic’s user_id from metadata', async () => {
    expect((await sent({ metadata: { user_id: 'u-1', app: 'crm' } })).body.metadata).to.deep.equal({ user_id: 'u-1' });
    expect((await sent({ metadata: { app: 'crm' } })).body).to.not.have.property('metadata');
  });

  it('translates image parts: data: URLs to base64 sources, http(s) URLs to url sources', async () => {
    const captured = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } },
            { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/4AAQSkZJRg==' } },
          ],
        },
      ],
    });
    expect(captured.body.messages).to.deep.equal([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } },
          { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
        ],
      },
    ]);
  });

  it('translates tools and every tool_choice form', async () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'get_time' } },
    ];
    const captured = await sent({ tools });
    expect(captured.body.tools).to.deep.equal([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(captured.body).to.not.have.property('tool_choice');

    const cases: Array<[ChatRequest['tool_choice'], boolean | undefined, unknown]> = [
      ['auto', undefined, { type: 'auto' }],
      ['required', undefined, { type: 'any' }],
      ['none', undefined, { type: 'none' }],
      [{ type: 'function', function: { name: 'get_time' } }, undefined, { type: 'tool', name: 'get_time' }],
      ['auto', false, { type: 'auto', disable_parallel_tool_use: true }],
      ['required', false, { type: 'any', disable_parallel_tool_use: true }],
      [{ type: 'function', function: { name: 'get_time' } }, false, { type: 'tool', name: 'get_time', disable_parallel_tool_use: true }],
      [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
      ['none', false, { type: 'none' }],
      ['auto', true, { type: 'auto' }],
    ];
    for (const [choice, parallel, expected] of cases) {
      const body = (await sent({ tools, tool_choice: choice, parallel_tool_calls: parallel })).body;
      expect(body.tool_choice, `${JSON.stringify(choice)} / parallel ${String(parallel)}`).to.deep.equal(expected);
      expect(body).to.not.have.property('parallel_tool_calls');
    }
  });

  it('leaves tool_choice out when no tools are given', async () => {
    const body = (await sent({ tool_choice: 'none' })).body;
    expect(body).to.not.have.property('tool_choice');
    expect(body).to.not.have.property('tools');
  });

  it('turns assistant tool calls into tool_use blocks and tool messages into one user turn of tool_result blocks', async () => {
    const captured = await sent({
      messages: [
        { role: 'user', content: 'Weather in SF and NYC?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' } },
            { id: 'toolu_01B', type: 'function', function: { name: 'get_weather', arguments: '{"location":"New York, NY"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_01A', content: '15 degrees' },
        { role: 'tool', tool_call_id: 'toolu_01B', content: [{ type: 'text', text: '22 degrees' }] },
        { role: 'user', content: 'And tomorrow?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'toolu_01C', type: 'function', function: { name: 'get_time', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'toolu_01C', content: '' },
      ],
    });
    expect(captured.body.messages).to.deep.equal([
      { role: 'user', content: 'Weather in SF and NYC?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'San Francisco, CA' } },
          { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: { location: 'New York, NY' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01A', content: '15 degrees' },
          { type: 'tool_result', tool_use_id: 'toolu_01B', content: [{ type: 'text', text: '22 degrees' }] },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01C', name: 'get_time', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01C' }] },
    ]);
  });

  it('merges consecutive messages of the same role and puts tool results first in a user turn', async () => {
    const captured = await sent({
      messages: [
        { role: 'user', content: 'First.' },
        { role: 'user', content: [{ type: 'text', text: 'Second.' }] },
        { role: 'assistant', content: 'A' },
        { role: 'assistant', content: [{ type: 'text', text: 'B' }], tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'user', content: 'Here:' },
        { role: 'tool', tool_call_id: 't1', content: 'done' },
      ],
    });
    expect(captured.body.messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'First.' }, { type: 'text', text: 'Second.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }, { type: 'tool_use', id: 't1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done' }, { type: 'text', text: 'Here:' }] },
    ]);
  });
});

describe('anthropic: requests rejected before any upstream call', () => {
  // No interceptor is registered: a request that reached the network would fail differently.
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  async function rejected(request: Partial<ChatRequest>, param: string): Promise<string> {
    const error = await rejection(mock.provider.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...request } as ChatRequest, callContext()));
    expect(error.code, error.message).to.equal('GW_ERR_BAD_REQUEST');
    expect(error.status).to.equal(400);
    expect(error.param).to.equal(param);
    expect(error.message).to.contain(param);
    return error.message;
  }

  it('rejects n other than 1', async () => {
    expect(await rejected({ n: 2 }, 'n')).to.match(/n=1/);
  });

  it('rejects response_format other than text', async () => {
    expect(await rejected({ response_format: { type: 'json_object' } }, 'response_format')).to.match(/JSON mode/);
    await rejected({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }, 'response_format');
  });

  it('rejects OpenAI-only parameters it cannot honour, naming each', async () => {
    await rejected({ presence_penalty: 0.5 }, 'presence_penalty');
    await rejected({ frequency_penalty: -1 }, 'frequency_penalty');
    await rejected({ logit_bias: { '50256': -100 } }, 'logit_bias');
    await rejected({ logprobs: true }, 'logprobs');
    await rejected({ top_logprobs: 3 }, 'top_logprobs');
    await rejected({ functions: [{ name: 'f' }] }, 'functions');
    await rejected({ reasoning_effort: 'high' }, 'reasoning_effort');
    await rejected({ modalities: ['text', 'audio'] }, 'modalities');
  });

  it('rejects tool call arguments that are not a JSON object', async () => {
    const call = (args: string): Partial<ChatRequest> => ({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: args } }] },
      ],
    });
    expect(await rejected(call('{"location": "SF"'), 'messages[1].tool_calls[0].function.arguments')).to.contain('not valid JSON');
    expect(await rejected(call('[1,2]'), 'messages[1].tool_calls[0].function.arguments')).to.contain('JSON object');
  });

  it('rejects content it cannot express', async () => {
    await rejected({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://example.com/cat.png' } }] }] }, 'messages[0].content[0].image_url.url');
    await rejected({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA', format: 'wav' } }] }] }, 'messages[0].content[0].type');
    await rejected({ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }, 'messages[0].content[0].type');
    await rejected({ messages: [{ role: 'function', name: 'f', content: '1' }] }, 'messages[0].role');
    await rejected({ messages: [{ role: 'tool', content: 'orphan' }] }, 'messages[0].tool_call_id');
  });

  it('rejects malformed tools and tool_choice', async () => {
    await rejected({ tools: [{ type: 'web_search' } as never] }, 'tools[0].type');
    await rejected({ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'sometimes' as never }, 'tool_choice');
  });
});
