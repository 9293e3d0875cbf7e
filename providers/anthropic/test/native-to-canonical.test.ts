// Anthropic Messages requests (https://docs.anthropic.com/en/api/messages) → canonical chat
// requests, for endpoints of other providers on the Anthropic route.
import { expect } from 'chai';
import { isGatewayError, type GatewayError } from '@gatehousejs/core';
import { toCanonical } from '../src/native/to-canonical.js';
import { fixtureJson } from './helpers.js';

const base = { model: 'any-chat', max_tokens: 100 };

function badRequest(body: unknown): GatewayError {
  try {
    toCanonical(body);
  } catch (error) {
    if (isGatewayError(error)) return error;
    throw error;
  }
  expect.fail('expected a bad request');
}

describe('anthropic native: Messages request → canonical chat', () => {
  it('translates a tool conversation in order: system, image, thinking dropped, tool calls, tool results, then the text', () => {
    expect(toCanonical(fixtureJson('request-tool-conversation.jsonc'))).to.deep.equal({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 1024,
      temperature: 1, // Anthropic's 0–1 onto the canonical 0–2
      top_p: 0.9,
      top_k: 40,
      stop: ['\n\nHuman:'],
      user: '13803d75-b4b5-4c3e-b2a2-6f21399b021b',
      messages: [
        { role: 'system', content: 'You are a weather assistant.\n\nAnswer in one sentence.' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'text', text: 'What is the weather where this photo was taken, and what time is it there?' },
          ],
        },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            { id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' } },
            { id: 'toolu_01B7xq2ZtnC8fBvzY3aLkQ4d', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees, foggy' },
        { role: 'tool', tool_call_id: 'toolu_01B7xq2ZtnC8fBvzY3aLkQ4d', content: '09:12' },
        { role: 'user', content: 'Thanks, and be brief.' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current weather in a given location',
            parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          },
        },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('translates a plain multi-turn chat with a string system prompt, and no stream fields unasked', () => {
    const body = {
      ...base,
      system: 'Be terse.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello' }, { type: 'text', text: '!' }] },
        { role: 'user', content: [{ type: 'text', text: 'Bye' }] },
      ],
      stream: false,
    };
    expect(toCanonical(body)).to.deep.equal({
      model: 'any-chat',
      max_tokens: 100,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
    });
  });

  it('takes image URLs as they are and keeps images in tool results', () => {
    const body = {
      ...base,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'Here:' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/shot.png' } },
              ],
            },
          ],
        },
      ],
    };
    const messages = toCanonical(body).messages;
    expect(messages[0]).to.deep.equal({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } }],
    });
    expect(messages[1]).to.deep.equal({
      role: 'tool',
      tool_call_id: 'toolu_1',
      content: [
        { type: 'text', text: 'Here:' },
        { type: 'image_url', image_url: { url: 'https://example.com/shot.png' } },
      ],
    });
  });

  const tools = [{ name: 'f', input_schema: { type: 'object' } }];
  const choices = [
    { given: { type: 'any' }, expected: { tool_choice: 'required' } },
    { given: { type: 'tool', name: 'f' }, expected: { tool_choice: { type: 'function', function: { name: 'f' } } } },
    { given: { type: 'none', disable_parallel_tool_use: true }, expected: { tool_choice: 'none' } },
    { given: { type: 'any', disable_parallel_tool_use: true }, expected: { tool_choice: 'required', parallel_tool_calls: false } },
  ];
  for (const c of choices) {
    it(`maps tool_choice ${JSON.stringify(c.given)}`, () => {
      const request = toCanonical({ ...base, messages: [{ role: 'user', content: 'x' }], tools, tool_choice: c.given });
      expect({ tool_choice: request.tool_choice, ...(request.parallel_tool_calls === undefined ? {} : { parallel_tool_calls: request.parallel_tool_calls }) }).to.deep.equal(c.expected);
    });
  }

  it('leaves out tool_choice without tools, drops Anthropic-only hints and passes other fields on', () => {
    const request = toCanonical({
      ...base,
      messages: [{ role: 'user', content: 'x' }],
      tools: [],
      tool_choice: { type: 'any' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      service_tier: 'auto',
      metadata: {},
      seed: 7,
    });
    expect(request).to.deep.equal({ model: 'any-chat', max_tokens: 100, seed: 7, messages: [{ role: 'user', content: 'x' }] });
  });

  const invalid: Array<{ name: string; body: Record<string, unknown>; param: string }> = [
    { name: 'a missing max_tokens', body: { model: 'm', messages: [{ role: 'user', content: 'x' }] }, param: 'max_tokens' },
    { name: 'empty messages', body: { ...base, messages: [] }, param: 'messages' },
    { name: 'a system role in messages', body: { ...base, messages: [{ role: 'system', content: 'x' }] }, param: 'messages.0.role' },
    {
      name: 'a document block',
      body: {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] },
        ],
      },
      param: 'messages.2.content.0.type',
    },
    { name: 'a text block without text', body: { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, param: 'messages.0.content.0.text' },
    {
      name: 'an image from a file id',
      body: { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] },
      param: 'messages.0.content.0.source.type',
    },
    { name: 'a tool_use without id', body: { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'f', input: {} }] }] }, param: 'messages.0.content.0.id' },
    { name: 'a tool_result without tool_use_id', body: { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, param: 'messages.0.content.0.tool_use_id' },
    { name: 'a non-text system block', body: { ...base, system: [{ type: 'image' }], messages: [{ role: 'user', content: 'x' }] }, param: 'system.0.type' },
    { name: 'a temperature above 1', body: { ...base, temperature: 1.5, messages: [{ role: 'user', content: 'x' }] }, param: 'temperature' },
    { name: 'a server tool', body: { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'x' }] }, param: 'tools.0.type' },
    { name: 'a tool without input_schema', body: { ...base, tools: [{ name: 'f' }], messages: [{ role: 'user', content: 'x' }] }, param: 'tools.0.input_schema' },
    { name: 'an unknown tool_choice', body: { ...base, tools, tool_choice: { type: 'sometimes' }, messages: [{ role: 'user', content: 'x' }] }, param: 'tool_choice.type' },
    { name: 'mcp_servers', body: { ...base, mcp_servers: [{ type: 'url', url: 'https://mcp.example.com' }], messages: [{ role: 'user', content: 'x' }] }, param: 'mcp_servers' },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name} with a 400 naming ${c.param}`, () => {
      const error = badRequest(c.body);
      expect(error.code).to.equal('GW_ERR_BAD_REQUEST');
      expect(error.status).to.equal(400);
      expect(error.param).to.equal(c.param);
      expect(error.message.startsWith(`${c.param}: `)).to.equal(true, error.message);
    });
  }
});
