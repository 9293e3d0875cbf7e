// Streams from a serving endpoint (stream: true), replayed in small pieces: chunks passed on as
// they arrive, content lists flattened, the usage Databricks puts on every chunk sent once at
// the end, tool-call deltas, and the failures of a stream.
import { expect } from 'chai';
import { agentPerTest, callContext, drain, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, CompletionsChunk } from '@gatehousejs/core';
import { MODEL, PATH, fixture, instance, intercept } from './helpers.js';

const chatRequest = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [{ role: 'user', content: 'What is a mixture-of-experts model?' }],
  stream: true,
  stream_options: { include_usage: true },
  ...extra,
});
const content = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
const finishes = (chunks: (ChatChunk | CompletionsChunk)[]) => chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);

describe('databricks streams', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('sends stream: true without stream_options and moves the usage to one last chunk', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('chat-stream.sse') });
    const db = await instance(replaying(mock.agent, { chunkSize: 23, intervalMs: 1 }));
    const { items: chunks, error } = await drain(db.chatStream!(chatRequest(), callContext()));

    expect(error).to.equal(undefined);
    expect(sent.requests[0]!.body).to.deep.equal({ messages: chatRequest().messages, stream: true });
    expect(chunks[0]!.choices[0]!.delta.role).to.equal('assistant');
    expect(content(chunks)).to.equal('A mixture-of-experts model routes each token.');
    expect(finishes(chunks)).to.deep.equal(['stop']);
    for (const chunk of chunks) {
      expect(chunk).to.deep.include({ object: 'chat.completion.chunk', id: 'chatcmpl_5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170' });
    }
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined && c.choices.length === 1)).to.equal(true);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).to.deep.equal([]);
    expect(last.usage).to.deep.equal({ prompt_tokens: 31, completion_tokens: 9, total_tokens: 40 });
  });

  it('sends no usage chunk when the caller did not ask for one', async () => {
    intercept(mock.agent, PATH, { body: fixture('chat-stream.sse') });
    const db = await instance(mock.agent);
    const { items: chunks } = await drain(db.chatStream!(chatRequest({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).to.equal(true);
  });

  it('passes chunks on as they arrive', async () => {
    intercept(mock.agent, PATH, { body: fixture('chat-stream.sse') });
    const db = await instance(replaying(mock.agent, { chunkSize: 64, intervalMs: 15 }));
    const started = Date.now();
    const times: number[] = [];
    for await (const chunk of await db.chatStream!(chatRequest(), callContext())) {
      if (chunk.choices[0]?.delta.content) times.push(Date.now() - started);
    }
    expect(times.length).to.be.greaterThan(5);
    expect(times[0]!).to.be.lessThan(times[times.length - 1]! / 2);
  });

  it('flattens content lists in deltas: text to content, reasoning to reasoning_content', async () => {
    intercept(mock.agent, PATH, { body: fixture('chat-stream-reasoning.sse') });
    const db = await instance(replaying(mock.agent, { chunkSize: 17, intervalMs: 1 }));
    const { items: chunks, error } = await drain(db.chatStream!(chatRequest(), callContext()));
    expect(error).to.equal(undefined);
    for (const chunk of chunks) if (chunk.choices[0]) expect(chunk.choices[0].delta.content ?? '').to.be.a('string');
    expect(content(chunks)).to.equal('17 × 3 = 51.');
    expect(chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('')).to.equal('17 × 3 = 51.');
    expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ prompt_tokens: 44, completion_tokens: 61, total_tokens: 105 });
  });

  it('passes tool-call deltas that reassemble into the call', async () => {
    intercept(mock.agent, PATH, { body: fixture('chat-stream-tools.sse') });
    const db = await instance(replaying(mock.agent, { chunkSize: 31, intervalMs: 1 }));
    const { items: chunks } = await drain(db.chatStream!(chatRequest({ tools: [{ type: 'function', function: { name: 'get_current_weather' } }] }), callContext()));
    let args = '';
    const names: string[] = [];
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        expect(delta.index).to.equal(0);
        if (delta.function?.name) names.push(delta.function.name);
        args += delta.function?.arguments ?? '';
      }
    }
    expect(names).to.deep.equal(['get_current_weather']);
    expect(JSON.parse(args)).to.deep.equal({ location: 'Amsterdam, NL', unit: 'celsius' });
    expect(finishes(chunks)).to.deep.equal(['tool_calls']);
  });

  it('streams completions with the usage at the end', async () => {
    const sent = intercept(mock.agent, PATH, { body: fixture('completions-stream.sse') });
    const db = await instance(replaying(mock.agent, { chunkSize: 19, intervalMs: 1 }));
    const { items: chunks } = await drain(db.completionsStream!({ model: MODEL, prompt: 'What is Apache Spark?', max_tokens: 4, stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(sent.requests[0]!.body).to.deep.equal({ prompt: 'What is Apache Spark?', max_tokens: 4, stream: true });
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal(' Apache Spark is fast');
    expect(chunks.every((c) => c.object === 'text_completion')).to.equal(true);
    expect(finishes(chunks)).to.deep.equal(['length']);
    expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  });

  it('rejects before any chunk when the endpoint answers an error status', async () => {
    intercept(mock.agent, PATH, { status: 400, body: fixture('error-bad-request.jsonc') });
    const db = await instance(mock.agent);
    const error = await rejection(Promise.resolve(db.chatStream!(chatRequest({ top_k: -1 }), callContext())));
    expect(error.status).to.equal(400);
    expect(error.message).to.contain("parameter 'top_k' must be a positive integer");
  });

  it('fails with a 502 when the stream is cut off before its finish reason', async () => {
    const cut = fixture('chat-stream.sse').split('\n\n').slice(0, 4).join('\n\n') + '\n\n';
    intercept(mock.agent, PATH, { body: cut });
    const db = await instance(mock.agent);
    const { items: chunks, error } = await drain(db.chatStream!(chatRequest(), callContext()));
    expect(chunks.length).to.be.greaterThan(0);
    expect((error as { status: number }).status).to.equal(502);
    expect((error as Error).message).to.contain('Databricks Model Serving');
  });

  it('fails with a 502 that keeps the message of an error event mid-stream (OpenAI’s shape, relayed from an external model)', async () => {
    const body = fixture('chat-stream.sse').split('\n\n').slice(0, 3).join('\n\n') + '\n\ndata: {"error":{"message":"Model crashed","type":"server_error"}}\n\n';
    intercept(mock.agent, PATH, { body });
    const db = await instance(mock.agent);
    const { error } = await drain(db.chatStream!(chatRequest(), callContext()));
    expect((error as { status: number }).status).to.equal(502);
    expect((error as Error).message).to.contain('Model crashed');
  });
});
