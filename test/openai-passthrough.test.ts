// The official OpenAI SDK pointed at the native passthrough routes (baseURL .../gateway/openai/v1),
// in front of a local fake of OpenAI's API: what the SDK sees, what OpenAI is sent, and the usage
// record. Responses API bodies follow https://platform.openai.com/docs/api-reference/responses/object
// and https://platform.openai.com/docs/api-reference/responses-streaming.
import { expect } from 'chai';
import OpenAI from 'openai';
import type { ServerResponse } from 'node:http';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { FakeOpenAI, chatChunk, fakeVector, openAIError, sendJson, startSSE, type Recorded } from './helpers/fake-openai.js';
import { rejection } from './helpers/openai-client.js';

const GATEWAY_KEY = 'sk-gateway-passthrough-0123456789abcdef';
const CALLER_KEY = 'sk-caller-own-key-never-forwarded';
const user = (content: string) => [{ role: 'user' as const, content }];

function responseObject(model: string, text: string, status = 'completed'): Record<string, unknown> {
  return {
    id: 'resp_fake123',
    object: 'response',
    created_at: 1_741_476_542,
    status,
    error: null,
    incomplete_details: null,
    model,
    output:
      status === 'completed'
        ? [{ type: 'message', id: 'msg_fake123', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }]
        : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: status === 'completed' ? { input_tokens: 12, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 16 } : null,
  };
}

/** OpenAI's /v1/responses and base64 embeddings, which the shared fake does not speak. */
function answerResponsesAndBase64(req: Recorded, res: ServerResponse): boolean {
  const body = req.body as Record<string, any>;
  if (req.path === '/v1/embeddings' && body.encoding_format === 'base64') {
    const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: Buffer.from(new Float32Array(fakeVector(text)).buffer).toString('base64') }));
    sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } });
    return true;
  }
  if (req.path !== '/v1/responses') return false;
  const text = `Fake response to: ${body.input}`;
  if (!body.stream) {
    sendJson(res, 200, responseObject(body.model, text));
    return true;
  }
  startSSE(res);
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: responseObject(body.model, '', 'in_progress') },
    { type: 'response.output_item.added', output_index: 0, item: { id: 'msg_fake123', type: 'message', status: 'in_progress', role: 'assistant', content: [] } },
    ...text.split(/(?<= )/).map((delta) => ({ type: 'response.output_text.delta', item_id: 'msg_fake123', output_index: 0, content_index: 0, delta })),
    { type: 'response.output_text.done', item_id: 'msg_fake123', output_index: 0, content_index: 0, text },
    { type: 'response.completed', response: responseObject(body.model, text) },
  ];
  events.forEach((event, sequence_number) => res.write(`event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number })}\n\n`));
  res.end();
  return true;
}

describe('OpenAI SDK against /gateway/openai/v1 (native passthrough)', function () {
  let fake: FakeOpenAI;
  let gw: TestGateway;
  let client: OpenAI;

  before(async function () {
    fake = await FakeOpenAI.start();
    const openai = (name: string, type: string, model: string) => ({
      name,
      endpoint_type: type,
      model: { provider: 'openai', name: model, config: { openai_api_key: GATEWAY_KEY, openai_api_base: fake.apiBase } },
    });
    gw = await startTestGateway({
      watch: false,
      config: {
        endpoints: [
          openai('passthrough-gpt', 'llm/v1/chat', 'gpt-4o-mini'),
          openai('passthrough-embed', 'llm/v1/embeddings', 'text-embedding-3-small'),
          { name: 'passthrough-mock', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat' } },
        ],
        usage: { flush_interval_ms: 50 },
      },
    });
    client = new OpenAI({ baseURL: `${gw.url}/gateway/openai/v1`, apiKey: CALLER_KEY, maxRetries: 0, timeout: 15_000 });
  });
  beforeEach(function () {
    fake.reset();
    fake.override = answerResponsesAndBase64;
  });
  after(async function () {
    await gw?.close();
    await fake?.close();
  });

  const sentToOpenAI = () => fake.requests.at(-1)!;

  it("chat: OpenAI gets the endpoint's model and the gateway's key, never the caller's", async function () {
    const reply = await client.chat.completions.create({ model: 'passthrough-gpt', messages: user('hello passthrough') });
    expect(reply.choices[0]!.message.content).to.equal('Fake OpenAI answer to: hello passthrough');
    expect(reply.usage!.total_tokens).to.equal(14);
    expect(sentToOpenAI().path).to.equal('/v1/chat/completions');
    expect(sentToOpenAI().body.model).to.equal('gpt-4o-mini');
    expect(sentToOpenAI().headers.authorization).to.equal(`Bearer ${GATEWAY_KEY}`);
    expect(JSON.stringify(sentToOpenAI().headers)).to.not.contain(CALLER_KEY);
  });

  it('streamed chat: deltas add up, and no usage chunk the client did not ask for', async function () {
    const stream = await client.chat.completions.create({ model: 'passthrough-gpt', messages: user('stream me'), stream: true });
    let text = '';
    let usageChunks = 0;
    for await (const chunk of stream) {
      if (chunk.usage) usageChunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).to.equal('Fake OpenAI answer to: stream me');
    expect(usageChunks).to.equal(0);
    expect(sentToOpenAI().body.stream_options).to.deep.equal({ include_usage: true });
  });

  it('streamed chat with stream_options.include_usage ends with the usage chunk', async function () {
    const stream = await client.chat.completions.create({
      model: 'passthrough-gpt',
      messages: user('count'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)!.choices).to.deep.equal([]);
    expect(chunks.at(-1)!.usage!.total_tokens).to.equal(14);
  });

  it("embeddings: the SDK's base64 default is OpenAI's to answer, and decodes to the vectors", async function () {
    const reply = await client.embeddings.create({ model: 'passthrough-embed', input: ['a', 'b'] });
    expect(sentToOpenAI().body).to.deep.equal({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'base64' });
    expect(reply.data).to.have.length(2);
    const expected = Array.from(new Float32Array(fakeVector('b')));
    expect(reply.data[1]!.embedding).to.deep.equal(expected);
  });

  it('embeddings on /v1: a base64 request goes to OpenAI as base64 and its vectors come back as OpenAI sent them', async function () {
    const translated = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CALLER_KEY, maxRetries: 0, timeout: 15_000 });
    const raw = await translated.embeddings.create({ model: 'passthrough-embed', input: ['a', 'b'], encoding_format: 'base64' });
    expect(sentToOpenAI().body).to.deep.equal({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'base64' });
    const asSent = (text: string) => Buffer.from(new Float32Array(fakeVector(text)).buffer).toString('base64');
    expect(raw.data.map((d) => d.embedding as unknown as string)).to.deep.equal([asSent('a'), asSent('b')]);
    // The SDK's default is base64 too, decoded by the SDK; floats asked for are floats from OpenAI.
    const byDefault = await translated.embeddings.create({ model: 'passthrough-embed', input: 'b' });
    expect(byDefault.data[0]!.embedding).to.deep.equal(Array.from(new Float32Array(fakeVector('b'))));
    const floats = await translated.embeddings.create({ model: 'passthrough-embed', input: 'b', encoding_format: 'float' });
    expect(sentToOpenAI().body).to.not.have.property('encoding_format');
    expect(floats.data[0]!.embedding).to.deep.equal(fakeVector('b'));
  });

  it('responses: a plain call, with output_text', async function () {
    const response = await client.responses.create({ model: 'passthrough-gpt', input: 'tell me' });
    expect(response.output_text).to.equal('Fake response to: tell me');
    expect(response.usage!.input_tokens).to.equal(12);
    expect(sentToOpenAI().path).to.equal('/v1/responses');
    expect(sentToOpenAI().body).to.deep.equal({ model: 'gpt-4o-mini', input: 'tell me' });
  });

  it('responses: a streamed call, event by event to response.completed', async function () {
    const stream = await client.responses.create({ model: 'passthrough-gpt', input: 'stream it', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).to.equal('Fake response to: stream it');
    expect(types[0]).to.equal('response.created');
    expect(types.at(-1)).to.equal('response.completed');
  });

  it("an OpenAI error is the SDK's typed error with OpenAI's status and body", async function () {
    fake.override = (_req, res) => {
      sendJson(res, 400, openAIError("Invalid value for 'temperature'.", 'invalid_request_error', 'invalid_value'));
      return true;
    };
    const error = await rejection(client.chat.completions.create({ model: 'passthrough-gpt', messages: user('x'), temperature: 1 }));
    expect(error).to.be.instanceOf(OpenAI.BadRequestError);
    expect(error.status).to.equal(400);
    expect(error.error).to.deep.include({ message: "Invalid value for 'temperature'.", code: 'invalid_value' });
  });

  it("OpenAI's 429 is the SDK's RateLimitError, with Retry-After", async function () {
    fake.override = (_req, res) => {
      sendJson(res, 429, openAIError('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'), { 'retry-after': '7' });
      return true;
    };
    const error = await rejection(client.embeddings.create({ model: 'passthrough-embed', input: 'x' }));
    expect(error).to.be.instanceOf(OpenAI.RateLimitError);
    expect(error.headers.get('retry-after')).to.equal('7');
    expect(error.error).to.deep.include({ code: 'rate_limit_exceeded' });
  });

  it("a stream that breaks mid-way ends in the protocol's error event, which the SDK raises (chat and responses)", async function () {
    fake.override = (req, res) => {
      startSSE(res);
      const first =
        req.path === '/v1/responses'
          ? `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', sequence_number: 0, response: responseObject('gpt-4o-mini', '', 'in_progress') })}\n\n`
          : `data: ${JSON.stringify(chatChunk('gpt-4o-mini', { role: 'assistant', content: 'partial' }, null, true))}\n\n`;
      res.write(first, () => setTimeout(() => res.destroy(), 20));
      return true;
    };
    const chatSeen: string[] = [];
    const chatError = await rejection(
      (async () => {
        for await (const chunk of await client.chat.completions.create({ model: 'passthrough-gpt', messages: user('x'), stream: true })) {
          chatSeen.push(chunk.choices[0]?.delta.content ?? '');
        }
      })(),
    );
    expect(chatSeen).to.deep.equal(['partial']);
    expect(chatError).to.be.instanceOf(OpenAI.APIError);
    expect(chatError.message).to.contain('OpenAI');
    const types: string[] = [];
    const responsesError = await rejection(
      (async () => {
        for await (const event of await client.responses.create({ model: 'passthrough-gpt', input: 'x', stream: true })) types.push(event.type);
      })(),
    );
    expect(types).to.deep.equal(['response.created']);
    expect(responsesError).to.be.instanceOf(OpenAI.APIError);
  });

  it("an unknown endpoint is the SDK's NotFoundError; OpenAI is not called", async function () {
    const error = await rejection(client.responses.create({ model: 'no-such-endpoint', input: 'x' }));
    expect(error).to.be.instanceOf(OpenAI.NotFoundError);
    expect(error.message).to.contain('No endpoint or route named "no-such-endpoint"');
    expect(fake.requests).to.have.length(0);
  });

  it("chat to another provider's endpoint (mock) goes through the canonical pipeline, plain and streamed", async function () {
    const reply = await client.chat.completions.create({ model: 'passthrough-mock', messages: user('translated') });
    expect(reply.choices[0]!.message.content).to.equal('This is a mock response from Gatehouse to: translated');
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'passthrough-mock', messages: user('streamed'), stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).to.equal('This is a mock response from Gatehouse to: streamed');
    expect(fake.requests).to.have.length(0);
  });

  it('records usage of a passthrough call, readable at /api/usage/requests', async function () {
    const requestId = `e2e-native-${Date.now()}`;
    await client.chat.completions.create({ model: 'passthrough-gpt', messages: user('record me'), stream: true }, { headers: { 'x-request-id': requestId } }).then(async (s) => {
      for await (const _ of s) void _;
    });
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !record; i++) {
      const res = await fetch(`${gw.url}/api/usage/requests?endpoint=passthrough-gpt&limit=50`);
      const { records } = (await res.json()) as { records: Record<string, unknown>[] };
      record = records.find((r) => r.request_id === requestId);
      if (!record) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(record).to.deep.include({ surface: 'native', endpoint: 'passthrough-gpt', provider: 'openai', stream: true, status: 200 });
    expect(record).to.deep.include({ prompt_tokens: 9, completion_tokens: 5, total_tokens: 14, tokens_estimated: false });
  });
});
