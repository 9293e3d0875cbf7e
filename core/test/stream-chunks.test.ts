// Neutral stream parts → OpenAI chunks (https://platform.openai.com/docs/api-reference/chat-streaming,
// https://platform.openai.com/docs/api-reference/completions/object).
import { expect } from 'chai';
import { toChatChunks, toCompletionsChunks, type StreamMeta, type StreamPart } from '../src/streaming/chunks.js';
import { collect } from '../src/testing/provider-harness.js';

async function* from(parts: StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

const USAGE = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };

const TOOL_STREAM: StreamPart[] = [
  { kind: 'start' },
  { kind: 'text', text: 'Let me look.' },
  { kind: 'toolStart', index: 0, id: 'call_a', name: 'get_weather' },
  { kind: 'toolArgs', index: 0, args: '{"city":' },
  { kind: 'toolArgs', index: 0, args: '"Paris"}' },
  { kind: 'toolStart', index: 1, id: 'call_b', name: 'get_time' },
  { kind: 'finish', reason: 'tool_calls' },
  { kind: 'end', usage: USAGE },
];

describe('streaming: toChatChunks', () => {
  const meta = (): StreamMeta => ({ id: 'chatcmpl-1', model: 'm-1', created: 1_700_000_000 });

  it('sends the role first, text and tool-call deltas with their index, the finish reason, then usage when asked', async () => {
    const chunks = await collect(toChatChunks(from(TOOL_STREAM), meta(), true));
    for (const chunk of chunks) expect(chunk).to.deep.include({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'm-1' });
    expect(chunks.map(({ choices, usage }) => (usage === undefined ? { choices } : { choices, usage }))).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Let me look.' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: USAGE },
    ]);
  });

  it('sends no usage chunk unless asked, nor when the upstream reported no usage', async () => {
    const unasked = await collect(toChatChunks(from(TOOL_STREAM), meta(), false));
    expect(unasked).to.have.length(TOOL_STREAM.length - 1);
    expect(unasked.every((c) => c.choices.length === 1 && !('usage' in c))).to.equal(true);
    const unknown = await collect(toChatChunks(from([{ kind: 'start' }, { kind: 'finish', reason: 'stop' }, { kind: 'end' }]), meta(), true));
    expect(unknown.map((c) => c.choices[0]?.finish_reason)).to.deep.equal([null, 'stop']);
  });

  it('passes an OpenAI-shaped tool-call delta on as it is', async () => {
    const delta = { index: 1, id: 'call_c', type: 'function' as const, function: { name: 'get_time', arguments: '{}' } };
    const [chunk] = await collect(toChatChunks(from([{ kind: 'toolDelta', delta }]), meta(), false));
    expect(chunk!.choices).to.deep.equal([{ index: 0, delta: { tool_calls: [delta] }, finish_reason: null }]);
  });

  it('reads the envelope as each chunk is made, so a reader can fill in id and model from the first event', async () => {
    const live = { id: '', model: 'requested', created: 7 };
    async function* parts(): AsyncGenerator<StreamPart> {
      live.id = 'msg_upstream';
      live.model = 'served-model';
      yield { kind: 'start' };
      yield { kind: 'end', usage: USAGE };
    }
    const chunks = await collect(toChatChunks(parts(), live, true));
    expect(chunks.map((c) => [c.id, c.model, c.created])).to.deep.equal([
      ['msg_upstream', 'served-model', 7],
      ['msg_upstream', 'served-model', 7],
    ]);
  });

  it('stops with the parts: an error from the reader reaches the consumer after the chunks before it', async () => {
    async function* failing(): AsyncGenerator<StreamPart> {
      yield { kind: 'start' };
      yield { kind: 'text', text: 'partial' };
      throw new Error('cut short');
    }
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of toChatChunks(failing(), meta(), true)) seen.push(String(chunk.choices[0]?.delta.content));
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(seen).to.deep.equal(['', 'partial']);
    expect(String(error)).to.match(/cut short/);
  });
});

describe('streaming: toCompletionsChunks', () => {
  const meta = (): StreamMeta => ({ id: 'cmpl-1', model: 'm-1', created: 1_700_000_000 });

  it('sends text pieces and the finish reason as text_completion chunks, no role and no tool parts, then usage when asked', async () => {
    const chunks = await collect(toCompletionsChunks(from(TOOL_STREAM), meta(), true));
    for (const chunk of chunks) expect(chunk).to.deep.include({ id: 'cmpl-1', object: 'text_completion', created: 1_700_000_000, model: 'm-1' });
    expect(chunks.map(({ choices, usage }) => (usage === undefined ? { choices } : { choices, usage }))).to.deep.equal([
      { choices: [{ index: 0, text: 'Let me look.', finish_reason: null, logprobs: null }] },
      { choices: [{ index: 0, text: '', finish_reason: 'tool_calls', logprobs: null }] },
      { choices: [], usage: USAGE },
    ]);
  });

  it('sends no usage chunk unless asked, nor when the upstream reported no usage', async () => {
    expect(await collect(toCompletionsChunks(from(TOOL_STREAM), meta(), false))).to.have.length(2);
    expect(await collect(toCompletionsChunks(from([{ kind: 'text', text: 'x' }, { kind: 'end' }]), meta(), true))).to.have.length(1);
  });
});
