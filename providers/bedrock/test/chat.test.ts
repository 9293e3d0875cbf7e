// Chat through Converse (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
// the request body sent (messages, system, images, tools, tool results, inferenceConfig, extras),
// the answers (text, tool use, stop reasons, usage) and the error answers
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html).
import { expect } from 'chai';
import type { MockAgent } from 'undici';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, newAgent, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { MODEL, MODEL_PATH, awsError, fixture, fixtureJson, instance, intercept, interceptConverse } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...extra });
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

describe('bedrock: chat request', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  async function sent(req: ChatRequest): Promise<Record<string, unknown>> {
    const captured = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await mock.provider.chat!(req, callContext());
    return captured.body;
  }

  it('posts to /model/{modelId}/converse with the model id as one encoded segment', async () => {
    const captured = intercept(mock.agent, '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse', {
      body: fixture('converse-text.jsonc'),
    });
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0';
    const res = await instance(mock.agent, { model: arn }).chat!(request({ model: arn }), callContext());
    expect(captured.method).to.equal('POST');
    expect(res.model).to.equal(arn);
  });

  it('maps system messages, turns and parameters onto Converse fields', async () => {
    const body = await sent(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
        ],
        temperature: 1.4,
        top_p: 0.9,
        max_tokens: 256,
        stop: 'END',
        n: 1,
        seed: 7,
        user: 'u-1',
        parallel_tool_calls: false,
        presence_penalty: 0,
      }),
    );
    expect(body).to.deep.equal({
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello!' }] },
        { role: 'user', content: [{ text: 'What is 2+2?' }] },
      ],
      system: [{ text: 'Be brief.' }, { text: 'Answer in English.' }],
      inferenceConfig: { temperature: 0.7, topP: 0.9, maxTokens: 256, stopSequences: ['END'] },
    });
  });

  it('scales temperature from 0–2 onto 0–1 and takes max_completion_tokens and a stop list', async () => {
    const body = await sent(request({ temperature: 2, max_completion_tokens: 99, stop: ['a', 'b'] }));
    expect(body.inferenceConfig).to.deep.equal({ temperature: 1, maxTokens: 99, stopSequences: ['a', 'b'] });
    const zero = await sent(request({ temperature: 0 }));
    expect(zero.inferenceConfig).to.deep.equal({ temperature: 0 });
  });

  it('treats null parameters as absent and sends no inferenceConfig when none is given', async () => {
    const body = await sent(request({ temperature: null, max_tokens: null, stop: null } as unknown as Partial<ChatRequest>));
    expect(body).to.not.have.property('inferenceConfig');
  });

  it('puts extra parameters into additionalModelRequestFields and keeps Converse fields top-level', async () => {
    const body = await sent(
      request({
        top_k: 40,
        additionalModelRequestFields: { anthropic_beta: ['x'] },
        guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
        requestMetadata: { team: 'search' },
      }),
    );
    expect(body.additionalModelRequestFields).to.deep.equal({ anthropic_beta: ['x'], top_k: 40 });
    expect(body.guardrailConfig).to.deep.equal({ guardrailIdentifier: 'gr-1', guardrailVersion: '1' });
    expect(body.requestMetadata).to.deep.equal({ team: 'search' });
  });

  it('maps image parts from data: URLs and s3:// locations', async () => {
    const body = await sent(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
              { type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/4AAQ' } },
              { type: 'image_url', image_url: { url: 's3://my-bucket/photos/cat.webp' } },
            ],
          },
        ],
      }),
    );
    expect(body.messages).to.deep.equal([
      {
        role: 'user',
        content: [
          { text: 'What is in these?' },
          { image: { format: 'png', source: { bytes: PNG } } },
          { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
          { image: { format: 'webp', source: { s3Location: { uri: 's3://my-bucket/photos/cat.webp' } } } },
        ],
      },
    ]);
  });

  it('refuses http image URLs with a 400 explaining that Bedrock needs the bytes inline', async () => {
    const error = await rejection(
      mock.provider.chat!(request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }), callContext()),
    );
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('needs the image bytes inline');
    expect(error.message).to.contain('data:');
    const svg = await rejection(
      mock.provider.chat!(request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml;base64,PHN2Zz4=' } }] }] }), callContext()),
    );
    expect(svg.status).to.equal(400);
    expect(svg.message).to.contain('png, jpeg, gif or webp');
  });

  it('translates tools and each tool_choice, and a tool without a description', async () => {
    const bare = { type: 'function' as const, function: { name: 'get_time' } };
    const auto = await sent(request({ tools: [WEATHER_TOOL, bare], tool_choice: 'auto' }));
    expect(auto.toolConfig).to.deep.equal({
      tools: [
        { toolSpec: { name: 'get_weather', description: 'Current weather for a city', inputSchema: { json: WEATHER_TOOL.function.parameters } } },
        { toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object', properties: {} } } } },
      ],
      toolChoice: { auto: {} },
    });
    expect((await sent(request({ tools: [WEATHER_TOOL], tool_choice: 'required' }))).toolConfig).to.have.deep.property('toolChoice', { any: {} });
    expect((await sent(request({ tools: [WEATHER_TOOL], tool_choice: { type: 'function', function: { name: 'get_weather' } } }))).toolConfig).to.have.deep.property(
      'toolChoice',
      { tool: { name: 'get_weather' } },
    );
    expect((await sent(request({ tools: [WEATHER_TOOL] }))).toolConfig).to.not.have.property('toolChoice');
    expect(await sent(request({ tools: [WEATHER_TOOL], tool_choice: 'none' }))).to.not.have.property('toolConfig');
  });

  it('sends tool calls as toolUse blocks and merges consecutive tool results into one user turn', async () => {
    const body = await sent(
      request({
        tools: [WEATHER_TOOL],
        messages: [
          { role: 'user', content: 'Weather in Seattle and Paris?' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [
              { id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Seattle"}' } },
              { id: 'tooluse_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'tooluse_1', content: '12°C, rain' },
          { role: 'tool', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: '18°C, sun' }] },
          { role: 'user', content: 'Thanks. Which is warmer?' },
        ],
      }),
    );
    expect(body.messages).to.deep.equal([
      { role: 'user', content: [{ text: 'Weather in Seattle and Paris?' }] },
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { location: 'Seattle' } } },
          { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: { location: 'Paris' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '12°C, rain' }] } },
          { toolResult: { toolUseId: 'tooluse_2', content: [{ text: '18°C, sun' }] } },
          { text: 'Thanks. Which is warmer?' },
        ],
      },
    ]);
  });

  it('refuses n > 1 with a 400 naming Bedrock, and other parameters Converse lacks', async () => {
    const n = await rejection(mock.provider.chat!(request({ n: 2 }), callContext()));
    expect(n.status).to.equal(400);
    expect(n.param).to.equal('n');
    expect(n.message).to.contain('Bedrock');
    for (const extra of [{ presence_penalty: 0.5 }, { frequency_penalty: 1 }, { logprobs: true }, { response_format: { type: 'json_object' } }, { functions: [] }]) {
      const error = await rejection(mock.provider.chat!(request(extra as Partial<ChatRequest>), callContext()));
      expect(error.status, JSON.stringify(extra)).to.equal(400);
    }
  });

  it('refuses malformed messages and tool arguments with a 400', async () => {
    const badArgs = await rejection(
      mock.provider.chat!(
        request({
          messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
        }),
        callContext(),
      ),
    );
    expect(badArgs.param).to.equal('messages[0].tool_calls[0].function.arguments');
    const noId = await rejection(mock.provider.chat!(request({ messages: [{ role: 'tool', content: 'x' }] }), callContext()));
    expect(noId.param).to.equal('messages[0].tool_call_id');
    const role = await rejection(mock.provider.chat!(request({ messages: [{ role: 'function', content: 'x' } as never] }), callContext()));
    expect(role.status).to.equal(400);
  });
});

describe('bedrock: chat answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('answers a text response as chat.completion with usage', async () => {
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.id).to.match(/^chatcmpl-/);
    expect(res.created).to.equal(Math.floor(Date.parse('2024-05-01T12:00:00Z') / 1000));
    expect({ ...res, id: '' }).to.deep.equal({
      id: '',
      object: 'chat.completion',
      created: res.created,
      model: MODEL,
      choices: [
        { index: 0, message: { role: 'assistant', content: "Hello! I'm Claude, an AI assistant. How can I help you today?", refusal: null }, finish_reason: 'stop', logprobs: null },
      ],
      usage: { prompt_tokens: 21, completion_tokens: 20, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('answers toolUse blocks as tool_calls with finish_reason tool_calls and cached tokens', async () => {
    interceptConverse(mock.agent, { body: fixture('converse-tool-use.jsonc') });
    const res = await mock.provider.chat!(request({ tools: [WEATHER_TOOL] }), callContext());
    const choice = res.choices[0]!;
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.content).to.equal("I'll look up the weather in Seattle and the local time.");
    expect(choice.message.tool_calls).to.deep.equal([
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Seattle, WA","unit":"celsius"}' } },
      { id: 'tooluse_Yx3QwErT5a9bBcD2eFgH1i', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    // input 412 + cache reads 1400 + cache writes 100.
    expect(res.usage).to.deep.equal({ prompt_tokens: 1912, completion_tokens: 97, total_tokens: 2009, prompt_tokens_details: { cached_tokens: 1400 } });
  });

  it('gives null content when the answer is only tool calls', async () => {
    const answer = fixtureJson<{ output: { message: { content: unknown[] } } }>('converse-tool-use.jsonc');
    answer.output.message.content.shift();
    interceptConverse(mock.agent, { body: JSON.stringify(answer) });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.choices[0]!.message.content).to.equal(null);
    expect(res.choices[0]!.message.tool_calls).to.have.length(2);
  });

  it('maps max_tokens to length and guardrail_intervened / content_filtered to content_filter', async () => {
    interceptConverse(mock.agent, { body: fixture('converse-max-tokens.jsonc') });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('length');
    interceptConverse(mock.agent, { body: fixture('converse-guardrail.jsonc') });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('content_filter');
    const filtered = fixtureJson<Record<string, unknown>>('converse-guardrail.jsonc');
    filtered.stopReason = 'content_filtered';
    interceptConverse(mock.agent, { body: JSON.stringify(filtered) });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('content_filter');
    const stop = fixtureJson<Record<string, unknown>>('converse-text.jsonc');
    stop.stopReason = 'stop_sequence';
    interceptConverse(mock.agent, { body: JSON.stringify(stop) });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('stop');
  });

  it('skips reasoningContent blocks', async () => {
    const answer = fixtureJson<{ output: { message: { content: unknown[] } } }>('converse-text.jsonc');
    answer.output.message.content.unshift({ reasoningContent: { reasoningText: { text: 'Let me think.', signature: 'EqQBCgIYAhIM' } } });
    interceptConverse(mock.agent, { body: JSON.stringify(answer) });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.message.content).to.equal("Hello! I'm Claude, an AI assistant. How can I help you today?");
  });

  it('fails with a 502 naming Bedrock on a 200 that is not a Converse response', async () => {
    interceptConverse(mock.agent, { body: '<html>502 Bad Gateway</html>' });
    const notJson = await rejection(mock.provider.chat!(request(), callContext()));
    expect(notJson.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(notJson.status).to.equal(502);
    expect(notJson.message).to.contain('Bedrock');
    interceptConverse(mock.agent, { body: '{"output":{}}' });
    const shape = await rejection(mock.provider.chat!(request(), callContext()));
    expect(shape.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });
});

describe('bedrock: error answers', () => {
  let agent: MockAgent;
  let provider: ProviderInstance;
  const errors = fixtureJson<Record<string, { status: number; message: string }>>('errors.jsonc');

  beforeEach(() => {
    agent = newAgent();
    provider = instance(agent);
  });

  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  async function failWith(type: string): Promise<Awaited<ReturnType<typeof rejection>>> {
    const { status, message } = errors[type]!;
    intercept(agent, `${MODEL_PATH}/converse`, awsError(status, type, message));
    const error = await rejection(provider.chat!(request(), callContext()));
    expect(error.message, type).to.contain(message);
    expect(error.message, type).to.contain(type);
    return error;
  }

  it('keeps the status of ValidationException (400), AccessDeniedException (403) and ResourceNotFoundException (404)', async () => {
    expect((await failWith('ValidationException')).status).to.equal(400);
    const denied = await failWith('AccessDeniedException');
    expect(denied.status).to.equal(403);
    expect(denied.type).to.equal('permission_error');
    expect((await failWith('ResourceNotFoundException')).status).to.equal(404);
  });

  it('maps ThrottlingException to 429, keeping Retry-After', async () => {
    const { status, message } = errors.ThrottlingException!;
    const reply = awsError(status, 'ThrottlingException', message);
    intercept(agent, `${MODEL_PATH}/converse`, { ...reply, headers: { ...reply.headers, 'retry-after': '3' } });
    const error = await rejection(provider.chat!(request(), callContext()));
    expect(error.status).to.equal(429);
    expect(error.code).to.equal('GW_ERR_RATE_LIMITED');
    expect(error.retryAfter).to.equal(3);
    expect(error.message).to.contain(message);
  });

  it('maps ModelTimeoutException to 504, and ModelErrorException and 5xx to 502', async () => {
    expect((await failWith('ModelTimeoutException')).status).to.equal(504);
    expect((await failWith('ModelErrorException')).status).to.equal(502);
    expect((await failWith('InternalServerException')).status).to.equal(502);
    expect((await failWith('ServiceUnavailableException')).status).to.equal(502);
  });

  it('reads the exception name from the body when the header is missing, and a "Message" key', async () => {
    intercept(agent, `${MODEL_PATH}/converse`, {
      status: 403,
      body: JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException', Message: 'The security token included in the request is invalid.' }),
    });
    const error = await rejection(provider.chat!(request(), callContext()));
    expect(error.status).to.equal(403);
    expect(error.message).to.contain('UnrecognizedClientException');
    expect(error.message).to.contain('The security token included in the request is invalid.');
  });

  it('never puts the secret key in an error message', async () => {
    intercept(agent, `${MODEL_PATH}/converse`, awsError(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'));
    const error = await rejection(provider.chat!(request(), callContext()));
    expect(error.message).to.not.contain('wJalrXUtnFEMI');
    expect(error.message).to.not.contain('AKIAIOSFODNN7EXAMPLE');
  });
});
