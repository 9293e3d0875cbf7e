// The quickstart gateway used through the official OpenAI SDK, exactly as an application would.
import { expect } from 'chai';
import type OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { QUICKSTART } from './helpers/paths.js';
import { openAIClient } from './helpers/openai-client.js';

const ANSWER_TO = (prompt: string) => `This is a mock response from Gatehouse to: ${prompt}`;
const user = (content: string) => [{ role: 'user' as const, content }];

describe('OpenAI SDK against the quickstart gateway', function () {
  let gw: TestGateway;
  let client: OpenAI;

  before(async function () {
    gw = await startTestGateway({ configPath: QUICKSTART, watch: false });
    client = openAIClient(gw.url);
  });

  after(async function () {
    await gw?.close();
  });

  it('chat: answers with the mock text, finish_reason and usage', async function () {
    const reply = await client.chat.completions.create({ model: 'chat', messages: user('hello gateway') });
    expect(reply.object).to.equal('chat.completion');
    expect(reply.choices).to.have.length(1);
    expect(reply.choices[0]!.message.role).to.equal('assistant');
    expect(reply.choices[0]!.message.content).to.equal(ANSWER_TO('hello gateway'));
    expect(reply.choices[0]!.finish_reason).to.equal('stop');
    expect(reply.usage!.total_tokens).to.equal(reply.usage!.prompt_tokens + reply.usage!.completion_tokens);
    expect(reply.usage!.prompt_tokens).to.equal(2);
  });

  it('the same chat works under /gateway/mlflow/v1', async function () {
    const prefixed = openAIClient(gw.url, { prefix: '/gateway/mlflow' });
    const reply = await prefixed.chat.completions.create({ model: 'chat', messages: user('prefixed') });
    expect(reply.choices[0]!.message.content).to.equal(ANSWER_TO('prefixed'));
  });

  it('streamed chat: deltas add up to the text, then finish_reason, and no usage chunk unasked', async function () {
    const stream = await client.chat.completions.create({ model: 'chat', messages: user('stream me'), stream: true });
    let text = '';
    const finishes: (string | null)[] = [];
    let chunks = 0;
    let usageChunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).to.equal('chat.completion.chunk');
      if (chunk.usage) usageChunks++;
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? '';
        finishes.push(choice.finish_reason);
      }
    }
    expect(chunks).to.be.greaterThan(2);
    expect(text).to.equal(ANSWER_TO('stream me'));
    expect(finishes.at(-1)).to.equal('stop');
    expect(finishes.slice(0, -1).every((f) => f === null)).to.equal(true);
    expect(usageChunks).to.equal(0);
  });

  it('stream_options.include_usage: the last chunk carries usage and no choices', async function () {
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: user('count my tokens'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).to.deep.equal([]);
    expect(last.usage!.prompt_tokens).to.equal(3);
    expect(last.usage!.total_tokens).to.equal(last.usage!.prompt_tokens + last.usage!.completion_tokens);
    expect(chunks.slice(0, -1).filter((c) => c.usage)).to.have.length(0);
  });

  it('completions: answers a prompt', async function () {
    const reply = await client.completions.create({ model: 'completions', prompt: 'once upon a time' });
    expect(reply.object).to.equal('text_completion');
    expect(reply.choices[0]!.text).to.equal(ANSWER_TO('once upon a time'));
  });

  it('embeddings: one input, with the configured dimensions', async function () {
    const reply = await client.embeddings.create({ model: 'embeddings', input: 'a single text', encoding_format: 'float' });
    expect(reply.data).to.have.length(1);
    expect(reply.data[0]!.index).to.equal(0);
    expect(reply.data[0]!.embedding).to.have.length(8);
    expect(reply.data[0]!.embedding.every((v) => Number.isFinite(v))).to.equal(true);
  });

  it('embeddings: a batch keeps order, and equals single calls', async function () {
    const inputs = ['first', 'second', 'third'];
    const batch = await client.embeddings.create({ model: 'embeddings', input: inputs, encoding_format: 'float' });
    expect(batch.data.map((d) => d.index)).to.deep.equal([0, 1, 2]);
    const single = await client.embeddings.create({ model: 'embeddings', input: 'second', encoding_format: 'float' });
    expect(batch.data[1]!.embedding).to.deep.equal(single.data[0]!.embedding);
    expect(batch.data[0]!.embedding).to.not.deep.equal(batch.data[1]!.embedding);
  });

  it("embeddings: the SDK's default (base64 on the wire) decodes to the float answer", async function () {
    const floats = await client.embeddings.create({ model: 'embeddings', input: 'same text', encoding_format: 'float' });
    const byDefault = await client.embeddings.create({ model: 'embeddings', input: 'same text' });
    const expected = floats.data[0]!.embedding.map((v) => Math.fround(v));
    expect(byDefault.data[0]!.embedding).to.deep.equal(expected);
    // Asked explicitly, the SDK hands back the wire value: it must really be base64 float32.
    const raw = await client.embeddings.create({ model: 'embeddings', input: 'same text', encoding_format: 'base64' });
    const wire = raw.data[0]!.embedding as unknown as string;
    expect(wire).to.be.a('string');
    const bytes = Buffer.from(wire, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).to.deep.equal(expected);
  });

  it('n > 1: one choice per index, each different', async function () {
    const reply = await client.chat.completions.create({ model: 'chat', messages: user('pick one'), n: 3 });
    expect(reply.choices.map((c) => c.index)).to.deep.equal([0, 1, 2]);
    expect(new Set(reply.choices.map((c) => c.message.content)).size).to.equal(3);
    expect(reply.choices[0]!.message.content).to.equal(ANSWER_TO('pick one'));
  });

  it('stop: the answer is cut before the stop sequence', async function () {
    const reply = await client.chat.completions.create({ model: 'chat', messages: user('stop here'), stop: ['mock response'] });
    expect(reply.choices[0]!.message.content).to.equal('This is a ');
    expect(reply.choices[0]!.finish_reason).to.equal('stop');
  });

  it('max_tokens: the answer is cut with finish_reason length', async function () {
    const reply = await client.chat.completions.create({ model: 'chat', messages: user('long'), max_tokens: 3 });
    expect(reply.choices[0]!.message.content).to.equal('This is a ');
    expect(reply.choices[0]!.finish_reason).to.equal('length');
  });

  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
  ];

  it('tools: tool_choice forcing a function gets a call to that function', async function () {
    const reply = await client.chat.completions.create({
      model: 'chat',
      messages: user('what time is it?'),
      tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const choice = reply.choices[0]!;
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.tool_calls).to.have.length(1);
    const call = choice.message.tool_calls![0]!;
    expect(call.type).to.equal('function');
    if (call.type !== 'function') return;
    expect(call.function.name).to.equal('get_time');
    expect(() => JSON.parse(call.function.arguments)).to.not.throw();
    expect(call.id).to.be.a('string').and.not.equal('');
  });

  it('tools: a streamed forced call arrives as tool_call deltas', async function () {
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: user('weather?'),
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream: true,
    });
    const names: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        for (const call of choice.delta.tool_calls ?? []) if (call.function?.name) names.push(call.function.name);
        finish = choice.finish_reason ?? finish;
      }
    }
    expect(names).to.deep.equal(['get_weather']);
    expect(finish).to.equal('tool_calls');
  });

  it('models.list: every endpoint is a model', async function () {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).to.deep.equal(['chat', 'completions', 'embeddings']);
  });
});
