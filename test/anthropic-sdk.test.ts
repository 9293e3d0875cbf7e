// The official Anthropic SDKs (0.x and 1.x lines) with baseURL at /gateway/anthropic, as a user
// would point them: an Anthropic endpoint (passthrough to a local fake Anthropic API) and an
// OpenAI endpoint (translated both ways), plain and streamed, errors as the SDK's own classes.
import { expect } from 'chai';
import Anthropic0 from 'anthropic-sdk-0';
import Anthropic1 from 'anthropic-sdk-1';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { FAKE_USAGE, FakeAnthropic, answerTo } from './helpers/fake-anthropic.js';
import { FakeOpenAI, chatChunk, openAIError, sendJson, sseData, startSSE } from './helpers/fake-openai.js';
import { withTimeout } from './helpers/sse.js';

const GATEWAY_ANTHROPIC_KEY = 'sk-ant-api03-GATEWAY-key-for-the-e2e-test-0000';
const GATEWAY_OPENAI_KEY = 'sk-proj-GATEWAY-openai-key-for-the-e2e-test-00';
const CALLER_KEY = 'caller-key';
const CLAUDE = 'claude-sonnet-4-20250514';

// Both lines are driven through one surface: the calls used here are the same in 0.x and 1.x.
type Client = InstanceType<typeof Anthropic1>;
// `version`: the anthropic-version header each line sends, which the gateway forwards.
const SDKS: ReadonlyArray<{ name: string; Sdk: typeof Anthropic1; version: string }> = [
  { name: '@anthropic-ai/sdk 0.x', Sdk: Anthropic0 as unknown as typeof Anthropic1, version: '2023-06-01' },
  { name: '@anthropic-ai/sdk 1.x', Sdk: Anthropic1, version: '2026-10-21' },
];

function config(anthropicBase: string, openAIBase: string): string {
  return `endpoints:
  - name: claude
    endpoint_type: llm/v1/chat
    model:
      provider: anthropic
      name: ${CLAUDE}
      config:
        anthropic_api_key: $GH_TEST_ANTHROPIC_KEY
        anthropic_api_base: ${anthropicBase}
  - name: gpt
    endpoint_type: llm/v1/chat
    model:
      provider: openai
      name: gpt-4o-mini
      config:
        openai_api_key: $GH_TEST_OPENAI_KEY
        openai_api_base: ${openAIBase}
`;
}

const user = (content: string) => [{ role: 'user' as const, content }];

async function rejectionOf(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic1.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').to.be.instanceOf(Error);
  return error as InstanceType<typeof Anthropic1.APIError>;
}

async function drainEvents(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const event of stream) void event;
}

describe('Anthropic SDKs against /gateway/anthropic', function () {
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let deployment: Deployment;
  let gw: TestGateway;

  before(async function () {
    anthropic = await FakeAnthropic.start();
    openai = await FakeOpenAI.start();
    // The access log records each request's usage: that is where the tests read it.
    deployment = await createDeployment({
      dependencies: ['@gatehousejs/provider-anthropic', '@gatehousejs/provider-openai', '@gatehousejs/plugin-logger'],
    });
    const configPath = await deployment.write('config.yaml', config(anthropic.url, openai.apiBase));
    gw = await startTestGateway({
      configPath,
      watch: false,
      env: { GH_TEST_ANTHROPIC_KEY: GATEWAY_ANTHROPIC_KEY, GH_TEST_OPENAI_KEY: GATEWAY_OPENAI_KEY },
    });
  });

  afterEach(function () {
    anthropic.reset();
    openai.reset();
  });

  after(async function () {
    await gw?.close();
    await anthropic?.close();
    await openai?.close();
    await deployment?.remove();
  });

  /** Every request Anthropic saw carried the gateway's key, the SDK's version, the endpoint's model, and nothing of the caller's. */
  function anthropicSawGatewayKey(count: number, version: string): void {
    expect(anthropic.requests, 'requests to Anthropic').to.have.length(count);
    for (const req of anthropic.requests) {
      expect(req.headers['x-api-key']).to.equal(GATEWAY_ANTHROPIC_KEY);
      expect(req.headers).to.not.have.property('authorization');
      expect(req.headers['anthropic-version']).to.equal(version);
      expect(JSON.stringify(req.headers)).to.not.include(CALLER_KEY);
      expect(req.body.model).to.equal(CLAUDE);
    }
  }

  /** The access-log line of the request with this id (written once the reply is complete). */
  async function accessLine(requestId: string | null | undefined): Promise<Record<string, unknown>> {
    const find = async (): Promise<Record<string, unknown>> => {
      for (;;) {
        const line = gw.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'request' && l.requestId === requestId);
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    return withTimeout(find(), 5000, `no access log line for ${requestId}`);
  }

  for (const { name, Sdk, version } of SDKS) {
    describe(name, function () {
      let client: Client;

      before(function () {
        client = new Sdk({ baseURL: `${gw.url}/gateway/anthropic`, apiKey: CALLER_KEY, maxRetries: 0 });
      });

      describe('an Anthropic endpoint (passthrough)', function () {
        it('messages.create: Anthropic’s answer, from the endpoint’s model, with the gateway’s key; usage recorded', async function () {
          const { data: message, response } = await client.messages.create({ model: 'claude', max_tokens: 64, messages: user('hello') }).withResponse();
          expect(message.content).to.deep.equal([{ type: 'text', text: answerTo('hello') }]);
          expect(message.stop_reason).to.equal('end_turn');
          expect(message.usage).to.include(FAKE_USAGE);
          expect(response.headers.get('request-id')).to.equal('req_011CSHfake');
          anthropicSawGatewayKey(1, version);
          // Prompt tokens count the cache reads, as on every route.
          expect(await accessLine(response.headers.get('x-request-id'))).to.include({ endpoint: 'claude', status: 200, prompt_tokens: 15, completion_tokens: 7 });
        });

        it('messages.create with stream: true: Anthropic’s events in order, usage recorded', async function () {
          const { data: stream, response } = await client.messages
            .create({ model: 'claude', max_tokens: 64, messages: user('stream please'), stream: true })
            .withResponse();
          const types: string[] = [];
          let text = '';
          let stop: string | null = null;
          for await (const event of stream) {
            types.push(event.type);
            if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
            if (event.type === 'message_delta') stop = event.delta.stop_reason;
          }
          expect(types[0]).to.equal('message_start');
          expect(types.slice(-3)).to.deep.equal(['content_block_stop', 'message_delta', 'message_stop']);
          expect(text).to.equal(answerTo('stream please'));
          expect(stop).to.equal('end_turn');
          anthropicSawGatewayKey(1, version);
          expect(await accessLine(response.headers.get('x-request-id'))).to.include({ status: 200, stream: true, prompt_tokens: 15, completion_tokens: 7 });
        });

        it('messages.stream().finalMessage(): the assembled message', async function () {
          const final = await client.messages.stream({ model: 'claude', max_tokens: 64, messages: user('assemble') }).finalMessage();
          expect(final.content).to.deep.equal([{ type: 'text', text: answerTo('assemble') }]);
          expect(final.stop_reason).to.equal('end_turn');
          expect(final.model).to.equal(CLAUDE);
          expect(final.usage).to.include({ input_tokens: 11, output_tokens: 7 });
          anthropicSawGatewayKey(1, version);
        });

        it('a bearer token (authToken) is never forwarded either', async function () {
          const bearer = new Sdk({ baseURL: `${gw.url}/gateway/anthropic`, apiKey: null, authToken: CALLER_KEY, maxRetries: 0 });
          await bearer.messages.create({ model: 'claude', max_tokens: 64, messages: user('bearer') });
          anthropicSawGatewayKey(1, version);
        });

        it('anthropic-beta is forwarded', async function () {
          await client.messages.create({ model: 'claude', max_tokens: 64, messages: user('beta') }, { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
          anthropicSawGatewayKey(1, version);
          expect(anthropic.requests[0]!.headers['anthropic-beta']).to.equal('prompt-caching-2024-07-31');
        });

        it('Anthropic’s 429 is the SDK’s RateLimitError, with Anthropic’s body and Retry-After', async function () {
          anthropic.failure = { status: 429, type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' };
          const error = await rejectionOf(client.messages.create({ model: 'claude', max_tokens: 64, messages: user('too many') }));
          expect(error).to.be.instanceOf(Sdk.RateLimitError);
          expect(error.status).to.equal(429);
          expect(error.error).to.deep.include({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' } });
          expect(error.headers?.get('retry-after')).to.equal('7');
        });

        it('Anthropic’s 400 is the SDK’s BadRequestError, before a stream starts too', async function () {
          anthropic.failure = { status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate' };
          for (const stream of [false, true]) {
            const error = await rejectionOf(client.messages.create({ model: 'claude', max_tokens: 64, messages: user('bad'), stream } as never));
            expect(error, `stream: ${stream}`).to.be.instanceOf(Sdk.BadRequestError);
            expect(error.status).to.equal(400);
            expect(error.message).to.include('roles must alternate');
          }
        });

        it('Anthropic’s error event mid-stream reaches the SDK as it is, not as a clean end', async function () {
          anthropic.failMidStream = 'error-event';
          const stream = await client.messages.create({ model: 'claude', max_tokens: 64, messages: user('break'), stream: true });
          const error = await rejectionOf(drainEvents(stream));
          expect(error).to.be.instanceOf(Sdk.APIError);
          expect((error.error as { error: { type: string } }).error.type).to.equal('overloaded_error');
        });

        it('a connection Anthropic cuts mid-stream ends with an Anthropic error event', async function () {
          anthropic.failMidStream = 'cut';
          const stream = await client.messages.create({ model: 'claude', max_tokens: 64, messages: user('cut'), stream: true });
          const error = await rejectionOf(drainEvents(stream));
          expect(error).to.be.instanceOf(Sdk.APIError);
          expect((error.error as { error: { type: string } }).error.type).to.equal('api_error');
        });
      });

      describe('an OpenAI endpoint (translated)', function () {
        it('messages.create: the answer as an Anthropic Message named after the endpoint', async function () {
          const { data: message, response } = await client.messages
            .create({ model: 'gpt', max_tokens: 64, system: 'Be brief.', messages: user('hello openai') })
            .withResponse();
          expect(message.type).to.equal('message');
          expect(message.model).to.equal('gpt');
          expect(message.content).to.deep.equal([{ type: 'text', text: 'Fake OpenAI answer to: hello openai' }]);
          expect(message.stop_reason).to.equal('end_turn');
          expect(message.usage).to.include({ input_tokens: 9, output_tokens: 5 });
          expect(anthropic.requests).to.have.length(0);
          const sent = openai.requests[0]!;
          expect(sent.headers.authorization).to.equal(`Bearer ${GATEWAY_OPENAI_KEY}`);
          expect(sent.body).to.deep.include({ model: 'gpt-4o-mini', max_tokens: 64 });
          expect(sent.body.messages).to.deep.equal([
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'hello openai' },
          ]);
          expect(await accessLine(response.headers.get('x-request-id'))).to.include({ endpoint: 'gpt', status: 200, prompt_tokens: 9, completion_tokens: 5 });
        });

        it('messages.create with stream: true: Anthropic’s event flow from OpenAI’s chunks', async function () {
          const stream = await client.messages.create({ model: 'gpt', max_tokens: 64, messages: user('stream openai'), stream: true });
          const types: string[] = [];
          let text = '';
          let delta: { stop_reason: string | null; output_tokens: number } | undefined;
          for await (const event of stream) {
            types.push(event.type);
            if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
            if (event.type === 'message_delta') delta = { stop_reason: event.delta.stop_reason, output_tokens: event.usage.output_tokens };
          }
          expect(types[0]).to.equal('message_start');
          expect(types[1]).to.equal('content_block_start');
          expect(types.slice(-3)).to.deep.equal(['content_block_stop', 'message_delta', 'message_stop']);
          expect(text).to.equal('Fake OpenAI answer to: stream openai');
          expect(delta).to.deep.equal({ stop_reason: 'end_turn', output_tokens: 5 });
          // The canonical stream was asked for its usage chunk.
          expect(openai.requests[0]!.body.stream_options).to.deep.equal({ include_usage: true });
        });

        it('messages.stream().finalMessage(): text, stop reason and usage', async function () {
          const final = await client.messages.stream({ model: 'gpt', max_tokens: 64, messages: user('assemble openai') }).finalMessage();
          expect(final.content).to.deep.equal([{ type: 'text', text: 'Fake OpenAI answer to: assemble openai' }]);
          expect(final.stop_reason).to.equal('end_turn');
          expect(final.model).to.equal('gpt');
          expect(final.usage).to.include({ input_tokens: 9, output_tokens: 5 });
        });

        it('tool calls come back as tool_use blocks, streamed and not', async function () {
          openai.override = (req, res) => {
            const call = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
            if (!req.body.stream) {
              sendJson(res, 200, {
                id: 'chatcmpl-tools',
                object: 'chat.completion',
                created: 1,
                model: 'gpt-4o-mini',
                choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [call] }, finish_reason: 'tool_calls' }],
                usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
              });
              return true;
            }
            startSSE(res);
            sseData(res, chatChunk('gpt-4o-mini', { role: 'assistant', content: null }, null, true));
            sseData(res, chatChunk('gpt-4o-mini', { tool_calls: [{ index: 0, ...call, function: { name: 'get_weather', arguments: '' } }] }, null, true));
            sseData(res, chatChunk('gpt-4o-mini', { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null, true));
            sseData(res, chatChunk('gpt-4o-mini', { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null, true));
            sseData(res, chatChunk('gpt-4o-mini', {}, 'tool_calls', true));
            sseData(res, { ...chatChunk('gpt-4o-mini', {}, null, false), choices: [], usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 } });
            sseData(res, '[DONE]');
            res.end();
            return true;
          };
          const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
          const params = { model: 'gpt', max_tokens: 64, messages: user('weather?'), tools, tool_choice: { type: 'any' as const } };
          const plain = await client.messages.create(params);
          const streamed = await client.messages.stream(params).finalMessage();
          for (const message of [plain, streamed]) {
            expect(message.content).to.deep.equal([{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]);
            expect(message.stop_reason).to.equal('tool_use');
            expect(message.usage).to.include({ input_tokens: 20, output_tokens: 8 });
          }
          expect(openai.requests[0]!.body).to.deep.include({
            tools: [{ type: 'function', function: { name: 'get_weather', parameters: tools[0]!.input_schema } }],
            tool_choice: 'required',
          });
        });

        it('OpenAI’s 400 and 429 are the SDK’s BadRequestError and RateLimitError, in Anthropic’s error shape', async function () {
          const cases = [
            { status: 400, type: 'invalid_request_error', Class: Sdk.BadRequestError },
            { status: 429, type: 'rate_limit_error', Class: Sdk.RateLimitError },
          ];
          for (const c of cases) {
            openai.override = (_req, res) => {
              sendJson(res, c.status, openAIError(`upstream says ${c.status}`, c.type, null), c.status === 429 ? { 'retry-after': '3' } : {});
              return true;
            };
            const error = await rejectionOf(client.messages.create({ model: 'gpt', max_tokens: 64, messages: user('fail') }));
            expect(error).to.be.instanceOf(c.Class);
            expect(error.status).to.equal(c.status);
            const body = error.error as { type: string; error: { type: string; message: string } };
            expect(body.type).to.equal('error');
            expect(body.error.type).to.equal(c.type);
            expect(body.error.message).to.include(`upstream says ${c.status}`);
          }
        });

        it('a request the translation refuses is a BadRequestError naming the field', async function () {
          const error = await rejectionOf(
            client.messages.create({ model: 'gpt', max_tokens: 64, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] }] }),
          );
          expect(error).to.be.instanceOf(Sdk.BadRequestError);
          expect((error.error as { error: { message: string } }).error.message).to.match(/^messages\.0\.content\.0\.type: /);
          expect(openai.requests).to.have.length(0);
        });

        it('a failure mid-stream reaches the SDK as an Anthropic error event', async function () {
          openai.override = (_req, res) => {
            startSSE(res);
            sseData(res, chatChunk('gpt-4o-mini', { role: 'assistant', content: '' }, null, true));
            sseData(res, chatChunk('gpt-4o-mini', { content: 'partial ' }, null, true));
            setImmediate(() => res.destroy());
            return true;
          };
          const stream = await client.messages.create({ model: 'gpt', max_tokens: 64, messages: user('break'), stream: true });
          let text = '';
          const error = await rejectionOf((async () => {
            for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
          })());
          expect(text).to.equal('partial ');
          expect(error).to.be.instanceOf(Sdk.APIError);
          expect((error.error as { error: { type: string } }).error.type).to.equal('api_error');
        });
      });

      it('an unknown endpoint is the SDK’s NotFoundError with an Anthropic-shaped body; no provider is called', async function () {
        for (const stream of [false, true]) {
          const error = await rejectionOf(client.messages.create({ model: 'nope', max_tokens: 64, messages: user('who?'), stream } as never));
          expect(error, `stream: ${stream}`).to.be.instanceOf(Sdk.NotFoundError);
          expect(error.status).to.equal(404);
          const body = error.error as { type: string; error: { type: string; message: string } };
          expect(body.type).to.equal('error');
          expect(body.error.type).to.equal('not_found_error');
          expect(body.error.message).to.include('nope');
        }
        expect(anthropic.requests).to.have.length(0);
        expect(openai.requests).to.have.length(0);
      });
    });
  }
});
