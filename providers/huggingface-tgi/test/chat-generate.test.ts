// Chat for servers without the Messages API (`hf_chat_api: generate`): the conversation rendered
// with the plain template, sent to /generate or /generate_stream, the answer read back.
import { expect } from 'chai';
import { agentPerTest, callContext, drain, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest } from '@gatehousejs/core';
import { renderChat } from '../src/index.js';
import { MODEL, fixture, instance, intercept } from './helpers.js';

const GENERATE = { hf_chat_api: 'generate' };
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'user', content: [{ type: 'text', text: 'What is the capital' }, { type: 'text', text: 'of France?' }] },
  ],
  ...extra,
});
const PROMPT = 'System: You are terse.\nUser: Hi\nAssistant: Hello.\nUser: What is the capital\nof France?\nAssistant:';

describe('huggingface-tgi chat over /generate (hf_chat_api: generate)', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('renders the documented template', () => {
    expect(renderChat(request().messages, 'x')).to.equal(PROMPT);
    expect(renderChat([{ role: 'developer', content: 'Rules.' }, { role: 'user', content: 'Go' }], 'x')).to.equal('System: Rules.\nUser: Go\nAssistant:');
  });

  it('posts the rendered conversation to /generate with the end-of-turn stop, and answers a chat.completion', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate-stop.jsonc') });
    const tgi = await instance(mock.agent, GENERATE);
    const res = await tgi.chat!(request({ max_completion_tokens: 40, temperature: 0.3, stop: ['\nQuestion:'] }), callContext());

    expect(sent.requests[0]!.body).to.deep.equal({
      inputs: PROMPT,
      parameters: {
        max_new_tokens: 40,
        temperature: 0.3,
        do_sample: true,
        stop: ['\nQuestion:', '\nUser:'],
        details: true,
        decoder_input_details: true,
        return_full_text: false,
      },
    });
    expect(res.object).to.equal('chat.completion');
    expect(res.id).to.match(/^chatcmpl-/);
    // TGI's text opens with a space and ends with the stop sequence: both go.
    expect(res.choices).to.deep.equal([
      { index: 0, message: { role: 'assistant', content: 'Paris. The Eiffel Tower is there.', refusal: null }, finish_reason: 'stop', logprobs: null },
    ]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 4, completion_tokens: 11, total_tokens: 15 });
  });

  it('adds no stop when the request already uses the four TGI allows', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent, GENERATE);
    await tgi.chat!(request({ stop: ['a', 'b', 'c', 'd'] }), callContext());
    expect((sent.requests[0]!.body.parameters as Record<string, unknown>).stop).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('emulates n with parallel calls', async () => {
    intercept(mock.agent, '/generate', { body: fixture('generate-sample-a.jsonc') });
    intercept(mock.agent, '/generate', { body: fixture('generate-sample-b.jsonc') });
    const tgi = await instance(mock.agent, GENERATE);
    const res = await tgi.chat!(request({ n: 2, temperature: 1 }), callContext());
    expect(res.choices.map((c) => c.message.content).sort()).to.deep.equal(['A family of neural network methods.', 'Learning with many-layered networks.']);
  });

  const refused: [string, Partial<ChatRequest>][] = [
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }],
    ['a tool result', { messages: [{ role: 'tool', tool_call_id: 'c1', content: '42' }] }],
    ['an image part', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }],
  ];
  for (const [name, extra] of refused) {
    it(`refuses ${name} with a 400 naming the provider`, async () => {
      const tgi = await instance(mock.agent, GENERATE);
      const error = await rejection(tgi.chat!(request(extra), callContext()));
      expect(error.status).to.equal(400);
      expect(error.message).to.contain('huggingface-text-generation-inference').and.contain('hf_chat_api: messages');
    });
  }

  it('streams through /generate_stream: role first, no opening space, no end-of-turn stop text', async () => {
    const sent = intercept(mock.agent, '/generate_stream', { body: fixture('generate-stream-chat.sse') });
    const tgi = await instance(replaying(mock.agent, { chunkSize: 9, intervalMs: 1 }), GENERATE);
    const { items: chunks, error } = await drain(tgi.chatStream!(request({ stream: true, stream_options: { include_usage: true } }), callContext()));
    expect(error).to.equal(undefined);
    expect(sent.requests[0]!.body.parameters).to.deep.include({ stop: ['\nUser:'], details: true });
    expect(sent.requests[0]!.body.parameters).to.not.have.property('decoder_input_details');
    expect(chunks[0]!.choices[0]!.delta).to.deep.equal({ role: 'assistant', content: '' });
    const contents = chunks.map((c: ChatChunk) => c.choices[0]?.delta.content ?? '');
    expect(contents.join('')).to.equal('Hello! How can I help?');
    expect(contents[1]).to.equal('Hello');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).to.equal(true);
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
    expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ prompt_tokens: 22, completion_tokens: 10, total_tokens: 32 });
  });
});
