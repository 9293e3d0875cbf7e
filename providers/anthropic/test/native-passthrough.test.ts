// The native `messages` handler: Anthropic's own answers (https://docs.anthropic.com/en/api/messages,
// /messages-streaming, /errors), recorded in test/fixtures, passed through unchanged.
import { expect } from 'chai';
import type { NativeRequest, NativeResponse, ProviderInstance } from '@gatehousejs/core';
import { bytesThrough, callContext, providerPerTest, readThenAbort, rejection } from '@gatehousejs/core/testing';
import { API_KEY, MODEL, fixture, fixtureJson, instance, interceptMessages } from './helpers.js';

const CALLER_BODY = { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] };

function nativeRequest(extra: Partial<NativeRequest> = {}): NativeRequest {
  return {
    method: 'POST',
    path: '/gateway/anthropic/v1/messages',
    params: {},
    query: {},
    headers: { 'content-type': 'application/json', 'user-agent': 'Anthropic/JS 1.17.0', 'x-stainless-os': 'Linux' },
    body: CALLER_BODY,
    model: MODEL,
    stream: false,
    ...extra,
  };
}

const messages = (provider: ProviderInstance) => provider.native!.messages!;

/** The forwarded bytes, decoded once at the end (pieces split UTF-8 characters). */
async function text(stream: NativeResponse['stream']): Promise<{ text: string; pieces: number }> {
  const pieces: Buffer[] = [];
  for await (const piece of stream!) pieces.push(Buffer.from(piece));
  return { text: Buffer.concat(pieces).toString('utf8'), pieces: pieces.length };
}

describe('anthropic native: /v1/messages passthrough', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('sends the body as given with the gateway key and the default anthropic-version, and keeps Anthropic’s answer', async () => {
    const captured = interceptMessages(mock.agent, {
      body: fixture('message-tool-use.jsonc'),
      headers: { 'request-id': 'req_018EeWyXxfu5pfWkrYcMdjWG', 'anthropic-ratelimit-requests-remaining': '49', 'x-internal': 'no' },
    });
    const res = await messages(mock.provider)(nativeRequest(), callContext());
    expect(captured.body).to.deep.equal(CALLER_BODY);
    expect(captured.headers['x-api-key']).to.equal(API_KEY);
    expect(captured.headers['anthropic-version']).to.equal('2023-06-01');
    expect(captured.headers).to.not.have.property('user-agent', 'Anthropic/JS 1.17.0');
    expect(captured.headers).to.not.have.property('x-stainless-os');
    expect(captured.headers).to.not.have.property('anthropic-beta');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal(fixtureJson('message-tool-use.jsonc'));
    expect(res.headers).to.deep.equal({
      'content-type': 'application/json',
      'request-id': 'req_018EeWyXxfu5pfWkrYcMdjWG',
      'anthropic-ratelimit-requests-remaining': '49',
    });
    // input 472 + cache writes 120 + cache reads 1800, as on /v1.
    expect(res.usage!()).to.deep.equal({ prompt_tokens: 2392, completion_tokens: 91, total_tokens: 2483, prompt_tokens_details: { cached_tokens: 1800 } });
  });

  it('forwards the client’s anthropic-version and anthropic-beta headers', async () => {
    const captured = interceptMessages(mock.agent, { body: fixture('message-text.jsonc') });
    const headers = { 'anthropic-version': '2023-01-01', 'anthropic-beta': ['prompt-caching-2024-07-31', 'token-efficient-tools-2025-02-19'] };
    await messages(mock.provider)(nativeRequest({ headers }), callContext());
    expect(captured.headers['anthropic-version']).to.equal('2023-01-01');
    expect(captured.headers['anthropic-beta']).to.equal('prompt-caching-2024-07-31,token-efficient-tools-2025-02-19');
    expect(captured.headers['x-api-key']).to.equal(API_KEY);
  });

  const errors = [
    { status: 400, file: 'error-invalid-request.jsonc' },
    { status: 401, file: 'error-authentication.jsonc' },
    { status: 429, file: 'error-rate-limit.jsonc' },
    { status: 500, file: 'error-api.jsonc' },
    { status: 529, file: 'error-overloaded.jsonc' },
  ] as const;
  for (const e of errors) {
    it(`keeps an upstream ${e.status} with Anthropic’s own error body, and records no usage`, async () => {
      interceptMessages(mock.agent, { status: e.status, body: fixture(e.file), headers: { 'retry-after': '17', 'x-should-retry': 'true' } });
      const res = await messages(mock.provider)(nativeRequest(), callContext());
      expect(res.status).to.equal(e.status);
      expect(res.body).to.deep.equal(fixtureJson(e.file));
      expect(res.headers).to.include({ 'retry-after': '17', 'x-should-retry': 'true' });
      expect(res.usage?.()).to.equal(undefined);
    });
  }

  it('wraps an error body that is not JSON (a proxy’s page) in Anthropic’s shape, keeping the status and masking the key', async () => {
    interceptMessages(mock.agent, { status: 502, body: `<html>Bad Gateway for ${API_KEY}</html>`, headers: { 'content-type': 'text/html' } });
    const res = await messages(mock.provider)(nativeRequest(), callContext());
    expect(res.status).to.equal(502);
    expect(res.body).to.deep.equal({
      type: 'error',
      error: { type: 'api_error', message: 'Anthropic answered 502: <html>Bad Gateway for [REDACTED]</html>' },
    });
  });

  it('fails with 502 on a 200 whose body is not JSON', async () => {
    interceptMessages(mock.agent, { body: 'not json', headers: { 'content-type': 'application/json' } });
    const error = await rejection(messages(mock.provider)(nativeRequest(), callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('answers 504 when Anthropic exceeds the time budget', async () => {
    interceptMessages(mock.agent, { body: fixture('message-text.jsonc'), delay: 10_000 });
    const error = await rejection(messages(mock.provider)(nativeRequest(), callContext({ timeoutMs: 50 })));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
  });
});

describe('anthropic native: streamed passthrough', () => {
  // Bodies arrive 7 bytes at a time, as a real stream does.
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 7, intervalMs: 0 });
  const streamRequest = () => nativeRequest({ body: { ...CALLER_BODY, stream: true }, stream: true });

  for (const file of ['stream-tool-use.sse', 'stream-text.sse', 'stream-thinking.sse'] as const) {
    it(`forwards ${file} byte for byte, piece by piece as it arrives`, async () => {
      interceptMessages(mock.agent, { body: fixture(file) });
      const res = await messages(mock.provider)(streamRequest(), callContext());
      expect(res.status).to.equal(200);
      expect(res.headers!['content-type']).to.equal('text/event-stream');
      const { text: forwarded, pieces } = await text(res.stream);
      expect(forwarded).to.equal(fixture(file));
      // Nothing is buffered: each upstream piece is handed on as it comes.
      expect(pieces).to.equal(Math.ceil(Buffer.byteLength(fixture(file)) / 7));
    });
  }

  it('tallies usage from message_start (input) and message_delta (output)', async () => {
    interceptMessages(mock.agent, { body: fixture('stream-tool-use.sse') });
    const res = await messages(mock.provider)(streamRequest(), callContext());
    await text(res.stream);
    expect(res.usage!()).to.deep.equal({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, prompt_tokens_details: { cached_tokens: 0 } });
  });

  it('forwards an error event as Anthropic sent it, with the usage seen so far', async () => {
    interceptMessages(mock.agent, { body: fixture('stream-error.sse') });
    const res = await messages(mock.provider)(streamRequest(), callContext());
    const { text: forwarded } = await text(res.stream);
    expect(forwarded).to.equal(fixture('stream-error.sse'));
    expect(forwarded).to.contain('event: error\ndata: {"type": "error", "error": {"type": "overloaded_error"');
    expect(res.usage!()).to.deep.include({ prompt_tokens: 25, completion_tokens: 1 });
  });
});

describe('anthropic native: a stalled stream', () => {
  const body = fixture('stream-tool-use.sse');
  // Anthropic goes silent after the first tool input piece.
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 7, stallAfter: bytesThrough(body, '"partial_json":""') });

  it('ends with a cancelled call, promptly, when the client goes away', async () => {
    interceptMessages(mock.agent, { body });
    const controller = new AbortController();
    const res = await messages(mock.provider)(nativeRequest({ body: { ...CALLER_BODY, stream: true }, stream: true }), callContext({ signal: controller.signal }));
    const read = await readThenAbort(res.stream!, controller, (items) => items.length >= 3);
    expect(read.error).to.have.property('code', 'GW_ERR_CLIENT_CLOSED');
    expect(read.elapsedMs).to.be.lessThan(1000);
    expect(Buffer.concat(read.items.map((i) => Buffer.from(i))).toString()).to.contain('"partial_json":""');
  });
});
