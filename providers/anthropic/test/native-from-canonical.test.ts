// Canonical chat answers → Anthropic Messages answers and stream events, in the shapes and
// order of https://docs.anthropic.com/en/api/messages and /messages-streaming; Anthropic's error
// shapes from https://docs.anthropic.com/en/api/errors.
import { expect } from 'chai';
import { toChatChunks, type ChatChunk, type ChatResponse, type FinishReason, type StreamPart } from '@gatehousejs/core';
import { collect, rejection } from '@gatehousejs/core/testing';
import { errorBody, streamError } from '../src/native/errors.js';
import { fromCanonical, streamFromCanonical } from '../src/native/from-canonical.js';

const USAGE = { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 10 } };

function answer(message: ChatResponse['choices'][number]['message'], finish: FinishReason): ChatResponse {
  return { id: 'chatcmpl-abc', object: 'chat.completion', created: 1, model: 'gpt-4o-2024-08-06', choices: [{ index: 0, message, finish_reason: finish }], usage: USAGE };
}

/** Canonical chunks as core makes them from a provider's stream parts. */
async function* chunksOf(parts: StreamPart[], includeUsage = true): AsyncGenerator<ChatChunk> {
  async function* source(): AsyncGenerator<StreamPart> {
    yield* parts;
  }
  yield* toChatChunks(source(), { id: 'chatcmpl-abc', model: 'gpt-4o', created: 1 }, includeUsage);
}

/** Each frame as [event name, data]; the event name must repeat the data's type. */
async function events(frames: AsyncIterable<string>): Promise<Array<[string, Record<string, unknown>]>> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const frame of await collect(frames)) {
    const match = /^event: (\w+)\ndata: (.*)\n\n$/.exec(frame);
    expect(match, frame).to.not.equal(null);
    const data = JSON.parse(match![2]!) as Record<string, unknown>;
    expect(data.type).to.equal(match![1]);
    out.push([match![1]!, data]);
  }
  return out;
}

describe('anthropic native: canonical answer → Message', () => {
  it('answers text as a Message with the requested model and Anthropic’s usage split', () => {
    expect(fromCanonical(answer({ role: 'assistant', content: 'Hello!' }, 'stop'), 'my-chat')).to.deep.equal({
      id: 'chatcmpl-abc',
      type: 'message',
      role: 'assistant',
      model: 'my-chat',
      content: [{ type: 'text', text: 'Hello!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      // Anthropic's input_tokens leave the cache reads out.
      usage: { input_tokens: 20, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    });
  });

  it('answers tool calls as tool_use blocks with parsed input, after the text', () => {
    const message = fromCanonical(
      answer(
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      'my-chat',
    ) as Record<string, unknown>;
    expect(message.content).to.deep.equal([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
    ]);
    expect(message.stop_reason).to.equal('tool_use');
  });

  it('has only tool_use blocks when the answer is only tool calls', () => {
    const message = fromCanonical(
      answer({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls'),
      'm',
    ) as { content: unknown[] };
    expect(message.content).to.deep.equal([{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }]);
  });

  const reasons: Array<[FinishReason, string]> = [
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ];
  for (const [finish, stop] of reasons) {
    it(`maps finish_reason ${finish} to stop_reason ${stop}`, () => {
      expect((fromCanonical(answer({ role: 'assistant', content: 'x' }, finish), 'm') as { stop_reason: string }).stop_reason).to.equal(stop);
    });
  }

  it('answers an OpenAI-style refusal as text', () => {
    const message = fromCanonical(answer({ role: 'assistant', content: null, refusal: 'I can’t help with that.' }, 'stop'), 'm') as { content: unknown[] };
    expect(message.content).to.deep.equal([{ type: 'text', text: 'I can’t help with that.' }]);
  });

  it('fails with 502 when tool arguments are not a JSON object', async () => {
    const bad = answer({ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }, 'tool_calls');
    const error = await rejection(Promise.resolve().then(() => fromCanonical(bad, 'm')));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });
});

describe('anthropic native: canonical chunks → Anthropic stream events', () => {
  it('streams text: message_start, one text block, message_delta with usage, message_stop', async () => {
    const parts: StreamPart[] = [
      { kind: 'start' },
      { kind: 'text', text: 'Hel' },
      { kind: 'text', text: 'lo' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'end', usage: USAGE },
    ];
    expect(await events(streamFromCanonical(chunksOf(parts), 'my-chat'))).to.deep.equal([
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'chatcmpl-abc',
            type: 'message',
            role: 'assistant',
            model: 'my-chat',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0 },
          },
        },
      ],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: 12, input_tokens: 20, cache_read_input_tokens: 10 },
        },
      ],
      ['message_stop', { type: 'message_stop' }],
    ]);
  });

  it('streams tool calls as tool_use blocks with input_json_delta pieces, each block closed before the next', async () => {
    const parts: StreamPart[] = [
      { kind: 'start' },
      { kind: 'text', text: 'Okay.' },
      { kind: 'toolStart', index: 0, id: 'call_1', name: 'get_weather' },
      { kind: 'toolArgs', index: 0, args: '{"location":' },
      { kind: 'toolArgs', index: 0, args: '"Paris"}' },
      // A provider that sends a whole call in one delta (id, name and arguments).
      { kind: 'toolDelta', delta: { index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } } },
      { kind: 'finish', reason: 'tool_calls' },
      { kind: 'end', usage: USAGE },
    ];
    const got = await events(streamFromCanonical(chunksOf(parts), 'm'));
    expect(got.map(([name, data]) => [name, data.index ?? null])).to.deep.equal([
      ['message_start', null],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_delta', 2],
      ['content_block_stop', 2],
      ['message_delta', null],
      ['message_stop', null],
    ]);
    expect(got[4]![1].content_block).to.deep.equal({ type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} });
    expect(got.slice(5, 7).map(([, d]) => d.delta)).to.deep.equal([
      { type: 'input_json_delta', partial_json: '{"location":' },
      { type: 'input_json_delta', partial_json: '"Paris"}' },
    ]);
    expect(got[8]![1].content_block).to.deep.equal({ type: 'tool_use', id: 'call_2', name: 'get_time', input: {} });
    expect(got[9]![1].delta).to.deep.equal({ type: 'input_json_delta', partial_json: '{}' });
    expect((got[11]![1].delta as Record<string, unknown>).stop_reason).to.equal('tool_use');
  });

  it('streams an OpenAI-style refusal as text', async () => {
    async function* refusal(): AsyncGenerator<ChatChunk> {
      const chunk = (delta: Record<string, unknown>, finish: FinishReason): ChatChunk => ({
        id: 'chatcmpl-r',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-4o',
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
      yield chunk({ role: 'assistant', content: null, refusal: '' }, null);
      yield chunk({ refusal: 'I can’t help with that.' }, null);
      yield chunk({}, 'stop');
    }
    const got = await events(streamFromCanonical(refusal(), 'm'));
    expect(got.map(([, data]) => data.delta ?? data.content_block ?? null).filter(Boolean).slice(0, 2)).to.deep.equal([
      { type: 'text', text: '' },
      { type: 'text_delta', text: 'I can’t help with that.' },
    ]);
  });

  it('reports max_tokens and zero usage when the provider sent no usage', async () => {
    const parts: StreamPart[] = [{ kind: 'start' }, { kind: 'text', text: 'x' }, { kind: 'finish', reason: 'length' }, { kind: 'end' }];
    const got = await events(streamFromCanonical(chunksOf(parts), 'm'));
    expect(got.at(-2)![1]).to.deep.equal({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { output_tokens: 0, input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('still opens and closes the message when the answer is empty', async () => {
    const got = await events(streamFromCanonical(chunksOf([{ kind: 'finish', reason: 'stop' }, { kind: 'end', usage: USAGE }]), 'm'));
    expect(got.map(([name]) => name)).to.deep.equal(['message_start', 'message_delta', 'message_stop']);
  });

  it('lets a failure mid-stream through after the events already sent (core writes the error event)', async () => {
    async function* failing(): AsyncGenerator<ChatChunk> {
      yield* chunksOf([{ kind: 'start' }, { kind: 'text', text: 'partial' }]);
      throw new Error('upstream went away');
    }
    const sent: string[] = [];
    let failure: unknown;
    try {
      for await (const frame of streamFromCanonical(failing(), 'm')) sent.push(frame);
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).message).to.equal('upstream went away');
    expect(sent.map((f) => f.split('\n')[0])).to.deep.equal(['event: message_start', 'event: content_block_start', 'event: content_block_delta']);
  });
});

describe('anthropic native: error shapes', () => {
  const cases: Array<[number, string]> = [
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [415, 'invalid_request_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [501, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ];
  for (const [status, type] of cases) {
    it(`writes a ${status} as Anthropic’s ${type}`, () => {
      const error = { status, code: 'GW_ERR_INTERNAL' as const, type: 'server_error', message: 'What went wrong.' };
      expect(errorBody(error)).to.deep.equal({ type: 'error', error: { type, message: 'What went wrong.' } });
    });
  }

  it('writes a mid-stream failure as an `error` event', () => {
    const frame = streamError({ status: 502, code: 'GW_ERR_UPSTREAM_ERROR', type: 'upstream_error', message: 'The provider failed.' });
    expect(frame).to.equal('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The provider failed."}}\n\n');
  });
});
