// The native passthrough handlers (/gateway/openai/v1/...): what goes to OpenAI and Azure, and what
// comes back, against recorded wire formats (each fixture names its page of the API reference).
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, fixtureFiles, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { NativeRequest, NativeResponse, ProviderInstance } from '@gatehousejs/core';
import { badRequest, chatStream, proxyHtml, rateLimited, singleRequest, singleResponse, toolsResponse } from '@gatehousejs/provider-openai-compatible/testing';
import provider, { NATIVE_HANDLERS, nativeRoutes } from '../src/index.js';

const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

const OPENAI = 'https://api.openai.com';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';

function nativeRequest(body: Record<string, unknown>, headers: Record<string, string> = {}): NativeRequest {
  return { method: 'POST', path: '/gateway/openai/v1/x', params: {}, query: {}, headers, body, model: String(body.model), stream: body.stream === true };
}

async function text(response: NativeResponse): Promise<string> {
  return (await collect(response.stream!)).join('');
}

/** The `data:` payloads of an SSE text, without comment lines. */
function dataOf(sse: string): string[] {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
}

describe('openai provider: native routes', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  const handler = (name: string) => instance.native![name]!;
  beforeEach(async () => {
    instance = await instanceOf(provider, { openai_api_key: KEY, openai_organization: 'org-gw' }, replaying(mock.agent), { model: 'gpt-4o-mini' });
  });

  it('declares chat completions (with translation), embeddings and responses under /openai/v1, Bearer credentials', () => {
    expect(nativeRoutes.map((r) => [r.method, r.path, r.handler, r.endpointType, r.translate !== undefined])).to.deep.equal([
      ['POST', '/openai/v1/chat/completions', NATIVE_HANDLERS.chat, 'llm/v1/chat', true],
      ['POST', '/openai/v1/embeddings', NATIVE_HANDLERS.embeddings, 'llm/v1/embeddings', false],
      ['POST', '/openai/v1/responses', NATIVE_HANDLERS.responses, 'llm/v1/chat', false],
    ]);
    for (const route of nativeRoutes) expect(route.credentials).to.deep.equal([{ header: 'authorization', scheme: 'Bearer' }]);
  });

  it("ends a failed Responses stream with the API's own error event, which the SDKs raise", () => {
    const frame = nativeRoutes[2]!.streamError!({ status: 502, code: 'GW_ERR_UPSTREAM_UNAVAILABLE', type: 'upstream_error', message: 'Could not reach OpenAI: ECONNRESET.' });
    const [event, data] = frame.split('\n');
    expect(event).to.equal('event: error');
    expect(frame.endsWith('\n\n')).to.equal(true);
    const error = { type: 'upstream_error', code: 'upstream_unavailable', message: 'Could not reach OpenAI: ECONNRESET.', param: null };
    expect(JSON.parse(data!.slice('data: '.length))).to.deep.equal({ type: 'error', code: error.code, message: error.message, param: null, error });
    // Chat keeps core's default: OpenAI's `data: {"error": ...}` event.
    expect(nativeRoutes[0]!.streamError).to.equal(undefined);
  });

  it("sends the client's chat body with the gateway's key and organization, forwarding only OpenAI-Beta and Idempotency-Key", async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/chat/completions', { body: toolsResponse, headers: { 'x-request-id': 'req_abc' } });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], logit_bias: { '50256': -100 } };
    const res = await handler(NATIVE_HANDLERS.chat)(
      nativeRequest(body, { 'openai-beta': 'assistants=v2', 'idempotency-key': 'idem-1', 'accept-encoding': 'gzip', 'openai-organization': 'org-caller', 'user-agent': 'OpenAI/JS 6' }),
      callContext(),
    );
    expect(sent.headers).to.deep.equal({
      authorization: `Bearer ${KEY}`,
      'openai-organization': 'org-gw',
      'openai-beta': 'assistants=v2',
      'idempotency-key': 'idem-1',
      'content-type': 'application/json',
    });
    expect(sent.body).to.deep.equal(body);
    expect(res).to.deep.include({ status: 200, body: toolsResponse });
    expect(res.headers).to.deep.equal({ 'content-type': 'application/json', 'x-upstream-request-id': 'req_abc' });
    expect(res.usage!()).to.deep.equal(toolsResponse.usage);
  });

  it('streams chat: asks for usage, tallies it, and hides the usage chunk from a client that did not ask', async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/chat/completions', { body: chatStream });
    const res = await handler(NATIVE_HANDLERS.chat)(nativeRequest({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello?' }], stream: true }), callContext());
    expect(sent.body.stream_options).to.deep.equal({ include_usage: true });
    const frames = dataOf(await text(res));
    const upstream = dataOf(chatStream);
    expect(frames).to.deep.equal(upstream.filter((data) => !data.includes('"choices":[]')));
    expect(frames.at(-1)).to.equal('[DONE]');
    expect(res.usage!()).to.deep.include({ prompt_tokens: 19, completion_tokens: 9, total_tokens: 28 });
  });

  it('streams chat with the usage chunk to a client that asked for it, event for event', async () => {
    answer(mock.agent, OPENAI, '/v1/chat/completions', { body: chatStream });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello?' }], stream: true, stream_options: { include_usage: true } };
    const res = await handler(NATIVE_HANDLERS.chat)(nativeRequest(body), callContext());
    expect(res.headers!['content-type']).to.contain('text/event-stream');
    expect(dataOf(await text(res))).to.deep.equal(dataOf(chatStream));
    expect(res.usage!()!.total_tokens).to.equal(28);
  });

  it('keeps an upstream error status and body, and Retry-After', async () => {
    answer(mock.agent, OPENAI, '/v1/chat/completions', { status: 400, body: badRequest });
    const bad = await handler(NATIVE_HANDLERS.chat)(nativeRequest({ model: 'gpt-4o-mini', messages: [] }), callContext());
    expect(bad).to.deep.include({ status: 400, body: badRequest });
    answer(mock.agent, OPENAI, '/v1/chat/completions', { status: 429, body: rateLimited, headers: { 'retry-after': '20' } });
    const limited = await handler(NATIVE_HANDLERS.chat)(nativeRequest({ model: 'gpt-4o-mini', messages: [], stream: true }), callContext());
    expect(limited).to.deep.include({ status: 429, body: rateLimited });
    expect(limited.headers!['retry-after']).to.equal('20');
    answer(mock.agent, OPENAI, '/v1/chat/completions', { status: 502, body: proxyHtml, headers: { 'content-type': 'text/html' } });
    const proxy = await handler(NATIVE_HANDLERS.chat)(nativeRequest({ model: 'gpt-4o-mini', messages: [] }), callContext());
    expect(proxy).to.deep.include({ status: 502, body: proxyHtml });
  });

  it('refuses a 2xx answer that is not JSON with a 502', async () => {
    answer(mock.agent, OPENAI, '/v1/embeddings', { body: 'not json', headers: { 'content-type': 'text/plain' } });
    const error = await rejection(handler(NATIVE_HANDLERS.embeddings)(nativeRequest({ ...singleRequest }), callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('passes embeddings through as they are (base64 included), with the prompt tokens as usage', async () => {
    const sent = answer(mock.agent, OPENAI, '/v1/embeddings', { body: singleResponse });
    const body = { ...singleRequest, encoding_format: 'base64' };
    const res = await handler(NATIVE_HANDLERS.embeddings)(nativeRequest(body), callContext());
    expect(sent.body).to.deep.equal(body);
    expect(res.body).to.deep.equal(singleResponse);
    expect(res.usage!()).to.deep.equal({ prompt_tokens: 8, completion_tokens: 0, total_tokens: 8 });
  });

  it('posts a Responses API request to /v1/responses and maps its input/output tokens', async () => {
    const request = fixtureJson('responses-request.jsonc');
    const response = fixtureJson('responses-response.jsonc');
    const sent = answer(mock.agent, OPENAI, '/v1/responses', { body: response });
    const res = await handler(NATIVE_HANDLERS.responses)(nativeRequest(request), callContext());
    expect(sent.body).to.deep.equal(request);
    expect(res.body).to.deep.equal(response);
    expect(res.usage!()).to.deep.equal({
      prompt_tokens: 36,
      completion_tokens: 87,
      total_tokens: 123,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('streams Responses API events as they are, with the usage of response.completed', async () => {
    const recorded = fixture('responses-stream.sse');
    const sent = answer(mock.agent, OPENAI, '/v1/responses', { body: recorded });
    const res = await handler(NATIVE_HANDLERS.responses)(nativeRequest({ ...fixtureJson('responses-request.jsonc'), stream: true }), callContext());
    expect(sent.body.stream_options).to.equal(undefined);
    const out = await text(res);
    // The recording without its comment lines, byte for byte.
    expect(out).to.equal(recorded.replace(/^(?::[^\n]*\n)+\n/, ''));
    expect(res.usage!()).to.deep.include({ prompt_tokens: 37, completion_tokens: 11, total_tokens: 48 });
  });

  it('cancels the upstream stream when the call is aborted', async () => {
    const stalled = await instanceOf(provider, { openai_api_key: KEY }, replaying(mock.agent, { stallAfter: 400 }));
    answer(mock.agent, OPENAI, '/v1/chat/completions', { body: chatStream });
    const controller = new AbortController();
    const res = await stalled.native![NATIVE_HANDLERS.chat]!(nativeRequest({ model: 'm', messages: [], stream: true }), callContext({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(collect(res.stream!));
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
  });
});

describe('openai provider: native routes on Azure', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  const RESOURCE = 'https://my-resource.openai.azure.com';
  const options = {
    openai_api_key: 'azure-key-0123456789abcdef',
    openai_api_type: 'azure',
    openai_api_base: RESOURCE,
    openai_api_version: '2024-10-21',
    openai_deployment_name: 'gpt-4o-prod',
  };

  it("uses the deployment URL, api-version and api-key, without a model in the body", async () => {
    const instance = await instanceOf(provider, options, mock.agent, { providerName: 'azure' });
    const sent = answer(mock.agent, RESOURCE, '/openai/deployments/gpt-4o-prod/embeddings?api-version=2024-10-21', { body: singleResponse });
    await instance.native![NATIVE_HANDLERS.embeddings]!(nativeRequest({ ...singleRequest }), callContext());
    expect(sent.headers['api-key']).to.equal(options.openai_api_key);
    expect(sent.headers.authorization).to.equal(undefined);
    expect(sent.body).to.deep.equal({ input: singleRequest.input });
  });

  it('refuses the Responses API clearly (501)', async () => {
    const instance = await instanceOf(provider, options, mock.agent, { providerName: 'azure', endpoint: 'azure-chat' });
    const error = await rejection(instance.native![NATIVE_HANDLERS.responses]!(nativeRequest({ model: 'x', input: 'hi' }), callContext()));
    expect(error.code).to.equal('GW_ERR_NOT_IMPLEMENTED');
    expect(error.message).to.contain('Endpoint "azure-chat" is an Azure OpenAI deployment');
  });
});
