// The native passthrough handlers (native.ts), called directly as core calls them, against the
// Gemini API's recorded wire format: https://ai.google.dev/api/generate-content (generateContent,
// streamGenerateContent?alt=sse) and https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes.
import { expect } from 'chai';
import { readSSE, type NativeRequest, type NativeResponse } from '@gatehousejs/core';
import { agentPerTest, bytesThrough, callContext, collect, rejection, replaying } from '@gatehousejs/core/testing';
import { API_KEY, MODEL, PATHS, fixture, fixtureJson, instance, intercept } from './helpers.js';

const CALLER_KEY = 'AIzaSyCALLER-own-key-must-never-leave-0000';
const BODY = Object.freeze({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { temperature: 0.2 } });

/** A request as core hands it over for endpoint `chat` (whose model is MODEL). */
function nativeRequest(stream: boolean, extra: Partial<NativeRequest> = {}): NativeRequest {
  const method = stream ? 'streamGenerateContent' : 'generateContent';
  return {
    method: 'POST',
    path: `/gateway/gemini/v1beta/models/chat:${method}`,
    params: { endpoint: 'chat' },
    query: {},
    headers: { 'content-type': 'application/json' },
    body: BODY,
    model: MODEL,
    stream,
    ...extra,
  };
}

/** The stream's text, whole. */
async function streamText(response: NativeResponse): Promise<string> {
  expect(response.stream, 'a stream').to.not.equal(undefined);
  return (await collect(response.stream!)).join('');
}

/** The data of each SSE event in `text`. */
async function eventData(text: string): Promise<string[]> {
  async function* once(): AsyncGenerator<string> {
    yield text;
  }
  return (await collect(readSSE(once()))).map((e) => e.data);
}

describe('gemini: native generateContent', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it("sends the body as given to the endpoint's model with the gateway's key, and passes the answer back", async () => {
    const captured = intercept(mock.agent, PATHS.generate, { body: fixture('generate-text.jsonc') });
    const provider = await instance(mock.agent);
    const response = await provider.native!.generateContent!(nativeRequest(false), callContext());
    expect(captured.path).to.equal(PATHS.generate);
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.body).to.deep.equal(BODY);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal(fixtureJson('generate-text.jsonc'));
    expect(response.usage!()).to.deep.equal({ prompt_tokens: 8, completion_tokens: 12, total_tokens: 20, prompt_tokens_details: { cached_tokens: 0 } });
  });

  it("asks for the request's model (the endpoint's provider model), never the endpoint name", async () => {
    const captured = intercept(mock.agent, '/v1beta/models/gemini-2.5-pro:generateContent', { body: fixture('generate-text.jsonc') });
    const provider = await instance(mock.agent);
    await provider.native!.generateContent!(nativeRequest(false, { model: 'gemini-2.5-pro' }), callContext());
    expect(captured.path).to.not.contain('chat');
  });

  it("never forwards the caller's headers or query, even if a key slipped through", async () => {
    const captured = intercept(mock.agent, PATHS.generate, { body: fixture('generate-text.jsonc') });
    const provider = await instance(mock.agent);
    const leaky = nativeRequest(false, {
      headers: { 'x-goog-api-key': CALLER_KEY, authorization: `Bearer ${CALLER_KEY}`, 'x-goog-api-client': 'genai-js/1.0' },
      query: { key: CALLER_KEY },
    });
    await provider.native!.generateContent!(leaky, callContext());
    expect(captured.path).to.equal(PATHS.generate);
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(JSON.stringify(captured.headers)).to.not.contain(CALLER_KEY);
    expect(captured.headers).to.not.have.property('x-goog-api-client');
  });

  for (const [status, name] of [
    [400, 'error-invalid-argument.jsonc'],
    [429, 'error-resource-exhausted.jsonc'],
    [500, 'error-internal.jsonc'],
  ] as const) {
    it(`passes Gemini's ${status} on with its status and body, and no usage`, async () => {
      intercept(mock.agent, PATHS.generate, { status, body: fixture(name), headers: { 'content-type': 'application/json; charset=UTF-8' } });
      const provider = await instance(mock.agent);
      const response = await provider.native!.generateContent!(nativeRequest(false), callContext());
      expect(response.status).to.equal(status);
      expect(response.body).to.deep.equal(fixtureJson(name));
      expect(response.usage!()).to.equal(undefined);
    });
  }

  it('refuses a body that is not a JSON object with a 400, before any upstream call', async () => {
    const provider = await instance(mock.agent);
    for (const body of ['Hi', [BODY], undefined]) {
      const error = await rejection(provider.native!.generateContent!(nativeRequest(false, { body }), callContext()));
      expect([error.code, error.status]).to.deep.equal(['GW_ERR_BAD_REQUEST', 400]);
    }
  });

  it("turns a non-JSON error page (a proxy's) into a coded 502, and a 200 that is not JSON too", async () => {
    intercept(mock.agent, PATHS.generate, { status: 503, body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } });
    intercept(mock.agent, PATHS.generate, { body: 'not json', headers: { 'content-type': 'text/plain' } });
    const provider = await instance(mock.agent);
    const page = await rejection(provider.native!.generateContent!(nativeRequest(false), callContext()));
    expect([page.code, page.status]).to.deep.equal(['GW_ERR_UPSTREAM_ERROR', 502]);
    const garbage = await rejection(provider.native!.generateContent!(nativeRequest(false), callContext()));
    expect([garbage.code, garbage.status]).to.deep.equal(['GW_ERR_UPSTREAM_BAD_RESPONSE', 502]);
  });
});

describe('gemini: native streamGenerateContent', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  // Bodies arrive 7 bytes at a time: events, JSON and UTF-8 characters split across reads.
  const streaming = () => instance(replaying(mock.agent, { chunkSize: 7 }));
  const sseRequest = (extra: Partial<NativeRequest> = {}) => nativeRequest(true, { query: { alt: 'sse' }, ...extra });

  it("asks Gemini for SSE with the gateway's key, and passes every event on with usage from the last", async () => {
    const captured = intercept(mock.agent, PATHS.stream, { body: fixture('stream-text.sse') });
    const provider = await streaming();
    const response = await provider.native!.streamGenerateContent!(sseRequest(), callContext());
    expect(captured.path).to.equal(PATHS.stream);
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.body).to.deep.equal(BODY);
    expect(response.status).to.equal(200);
    expect(response.headers).to.deep.equal({ 'content-type': 'text/event-stream' });
    const text = await streamText(response);
    expect(text).to.match(/^data: \{/);
    expect(await eventData(text)).to.deep.equal(await eventData(fixture('stream-text.sse')));
    expect(response.usage!()).to.deep.equal({ prompt_tokens: 8, completion_tokens: 9, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 } });
  });

  it('forwards each event as it arrives, without waiting for the rest of the stream', async () => {
    const sse = fixture('stream-text.sse');
    intercept(mock.agent, PATHS.stream, { body: sse });
    // Gemini goes silent right after its first event.
    const provider = await instance(replaying(mock.agent, { chunkSize: 7, stallAfter: bytesThrough(sse, '}\r\n\r\n') }));
    const controller = new AbortController();
    const response = await provider.native!.streamGenerateContent!(sseRequest(), callContext({ signal: controller.signal }));
    const iterator = response.stream![Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(await eventData(String(first.value))).to.deep.equal((await eventData(sse)).slice(0, 1));
    expect(response.usage!()).to.include({ prompt_tokens: 8, completion_tokens: 1, total_tokens: 9 });
    controller.abort();
    await iterator.return!(undefined);
  });

  it('without alt=sse writes the events as one JSON array, as Gemini does', async () => {
    const captured = intercept(mock.agent, PATHS.stream, { body: fixture('stream-text.sse') });
    const provider = await streaming();
    const response = await provider.native!.streamGenerateContent!(nativeRequest(true), callContext());
    expect(captured.path).to.equal(PATHS.stream);
    expect(response.headers).to.deep.equal({ 'content-type': 'application/json; charset=UTF-8' });
    const array = JSON.parse(await streamText(response)) as unknown[];
    const events = (await eventData(fixture('stream-text.sse'))).map((d) => JSON.parse(d) as unknown);
    expect(array).to.deep.equal(events);
    expect(response.usage!()).to.include({ total_tokens: 17 });
  });

  it("passes an error answered before the stream on with Gemini's status and body", async () => {
    intercept(mock.agent, PATHS.stream, { status: 429, body: fixture('error-resource-exhausted.jsonc'), headers: { 'content-type': 'application/json; charset=UTF-8' } });
    const provider = await streaming();
    const response = await provider.native!.streamGenerateContent!(sseRequest(), callContext());
    expect(response.status).to.equal(429);
    expect(response.stream).to.equal(undefined);
    expect(response.body).to.deep.equal(fixtureJson('error-resource-exhausted.jsonc'));
  });

  it("ends an SSE stream on Gemini's error event with a coded error carrying its status and message", async () => {
    intercept(mock.agent, PATHS.stream, { body: fixture('stream-error.sse') });
    const provider = await streaming();
    const response = await provider.native!.streamGenerateContent!(sseRequest(), callContext());
    const iterator = response.stream![Symbol.asyncIterator]();
    expect(String((await iterator.next()).value)).to.contain('The answer is');
    const error = await rejection(iterator.next());
    expect([error.code, error.status, error.message]).to.deep.equal(['GW_ERR_UPSTREAM_ERROR', 503, 'The model is overloaded. Please try again later.']);
    expect(response.usage!()).to.include({ total_tokens: 8 });
  });

  it("ends the JSON array with Google's error element when the stream fails after it started, and says so to core", async () => {
    intercept(mock.agent, PATHS.stream, { body: fixture('stream-error.sse') });
    const provider = await streaming();
    const response = await provider.native!.streamGenerateContent!(nativeRequest(true), callContext());
    const pieces: string[] = [];
    const iterator = response.stream![Symbol.asyncIterator]();
    let failure: unknown;
    try {
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) pieces.push(String(step.value));
    } catch (error) {
      failure = error;
    }
    // Core records the failure (a 503) and ends the stream with the handler's closing frame (the
    // error element; see test/gemini-passthrough.test.ts for what the client gets).
    expect(failure).to.include({ code: 'GW_ERR_UPSTREAM_ERROR', status: 503 });
    expect(pieces).to.have.length(1);
    expect(pieces[0]!.startsWith('[')).to.equal(true);
  });
});
