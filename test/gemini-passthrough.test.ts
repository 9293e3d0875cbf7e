// Gemini's own protocol through the gateway: POST /gateway/gemini/v1beta/models/{endpoint}:generateContent
// and :streamGenerateContent, called with plain fetch as a Google client would (the key as
// x-goog-api-key or ?key=), against a local fake Gemini API answering with recorded fixtures.
import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { FakeGemini, geminiFixture, geminiFixtureJson, sendGoogleError, writeEvents } from './helpers/fake-gemini.js';
import { parseEvents, withTimeout } from './helpers/sse.js';

const GATEWAY_KEY = 'AIzaSyGATEWAY-key-for-the-e2e-test-000000';
const CALLER_KEY = 'AIzaSyCALLER-own-key-must-never-travel-00';
const MODEL = 'gemini-2.0-flash';
const BODY = { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] };

function config(apiBase: string): string {
  return `endpoints:
  - name: chat
    endpoint_type: llm/v1/chat
    model:
      provider: gemini
      name: ${MODEL}
      config:
        gemini_api_key: $GH_TEST_GEMINI_KEY
        gemini_api_base: ${apiBase}
`;
}

describe('Gemini native routes (/gateway/gemini/v1beta)', function () {
  let fake: FakeGemini;
  let deployment: Deployment;
  let gw: TestGateway;

  before(async function () {
    fake = await FakeGemini.start();
    // The access log records each request's usage: that is where the test reads it.
    deployment = await createDeployment({ dependencies: ['@gatehousejs/provider-gemini', '@gatehousejs/plugin-logger'] });
    const configPath = await deployment.write('config.yaml', config(fake.apiBase));
    gw = await startTestGateway({ configPath, watch: false, env: { GH_TEST_GEMINI_KEY: GATEWAY_KEY } });
  });

  afterEach(function () {
    fake.reset();
  });

  after(async function () {
    await gw?.close();
    await fake?.close();
    await deployment?.remove();
  });

  /** POST to a native route; the caller's key as a header unless the path carries it. */
  function post(path: string, body: unknown = BODY): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!path.includes('key=')) headers['x-goog-api-key'] = CALLER_KEY;
    return fetch(`${gw.url}/gateway/gemini/v1beta/models/${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  }

  /** The one request the fake received: the endpoint's model, the gateway's key, nothing of the caller's. */
  function upstreamCall(path: string) {
    expect(fake.requests, 'upstream requests').to.have.length(1);
    const req = fake.requests[0]!;
    expect(req.path).to.equal(path);
    expect(req.headers['x-goog-api-key']).to.equal(GATEWAY_KEY);
    expect(JSON.stringify(req.headers) + req.path).to.not.include(CALLER_KEY);
    expect(JSON.parse(req.text)).to.deep.equal(BODY);
  }

  /** The access-log line of the request with this id (written once the reply is complete). */
  async function accessLine(requestId: string | null): Promise<Record<string, unknown>> {
    const find = async (): Promise<Record<string, unknown>> => {
      for (;;) {
        const line = gw.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'request' && l.requestId === requestId);
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    return withTimeout(find(), 5000, `no access log line for ${requestId}`);
  }

  for (const form of ['x-goog-api-key', '?key='] as const) {
    it(`generateContent (key as ${form}): Gemini's answer as it is, from the endpoint's model, with the gateway's key`, async function () {
      const res = await post(form === '?key=' ? `chat:generateContent?key=${CALLER_KEY}` : 'chat:generateContent');
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal(geminiFixtureJson('generate-text.jsonc'));
      upstreamCall(`/v1beta/models/${MODEL}:generateContent`);
      expect(await accessLine(res.headers.get('x-request-id'))).to.include({ endpoint: 'chat', status: 200, prompt_tokens: 8, completion_tokens: 12, total_tokens: 20 });
    });
  }

  it('streamGenerateContent?alt=sse: every event as Gemini sent it, usage from the last', async function () {
    const res = await post(`chat:streamGenerateContent?alt=sse&key=${CALLER_KEY}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    const events = parseEvents(await withTimeout(res.text(), 10_000, 'stream did not end'));
    expect(events.map((e) => JSON.parse(e.data) as unknown)).to.deep.equal(
      parseEvents(geminiFixture('stream-text.sse')).map((e) => JSON.parse(e.data) as unknown),
    );
    upstreamCall(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    expect(await accessLine(res.headers.get('x-request-id'))).to.include({ status: 200, stream: true, prompt_tokens: 8, completion_tokens: 9, total_tokens: 17 });
  });

  it('streamGenerateContent without alt=sse: one JSON array of the events', async function () {
    const res = await post('chat:streamGenerateContent');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const events = parseEvents(geminiFixture('stream-text.sse')).map((e) => JSON.parse(e.data) as unknown);
    expect(JSON.parse(await res.text())).to.deep.equal(events);
    upstreamCall(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
  });

  it("an unknown endpoint is a 404 in Google's error shape, and Gemini is never called", async function () {
    for (const path of ['nope:generateContent', 'nope:streamGenerateContent?alt=sse']) {
      const res = await post(path);
      expect(res.status, path).to.equal(404);
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).to.include({ code: 404, status: 'NOT_FOUND' });
      expect(body.error.message).to.be.a('string').and.not.equal('');
    }
    expect(fake.requests).to.have.length(0);
  });

  it("Gemini's own errors come back with their status and body", async function () {
    fake.override = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(geminiFixture('error-resource-exhausted.jsonc'));
      return true;
    };
    const res = await post('chat:generateContent');
    expect(res.status).to.equal(429);
    expect(await res.json()).to.deep.equal(geminiFixtureJson('error-resource-exhausted.jsonc'));
  });

  it("an error mid-stream arrives as Google's error event, not as a clean end", async function () {
    fake.override = (_req, res) => {
      void writeEvents(res, geminiFixture('stream-error.sse'));
      return true;
    };
    const res = await post('chat:streamGenerateContent?alt=sse');
    expect(res.status).to.equal(200);
    const events = parseEvents(await withTimeout(res.text(), 10_000, 'stream did not end'));
    expect(JSON.parse(events[0]!.data)).to.have.property('candidates');
    expect(JSON.parse(events.at(-1)!.data)).to.deep.equal({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
  });

  it("an error mid-stream without alt=sse closes the JSON array with Google's error element, and is recorded as the failure", async function () {
    fake.override = (_req, res) => {
      void writeEvents(res, geminiFixture('stream-error.sse'));
      return true;
    };
    const res = await post('chat:streamGenerateContent');
    expect(res.status).to.equal(200);
    const array = JSON.parse(await withTimeout(res.text(), 10_000, 'stream did not end')) as Array<Record<string, unknown>>;
    expect(array[0]).to.have.property('candidates');
    expect(array.at(-1)).to.deep.equal({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    // The answer started as a 200; what the gateway records is the failure.
    expect(await accessLine(res.headers.get('x-request-id'))).to.include({ status: 503, error_code: 'GW_ERR_UPSTREAM_ERROR', stream: true });
  });

  it("Gemini's error before a stream starts comes back as it is, not as a stream", async function () {
    fake.override = (_req, res) => {
      sendGoogleError(res, 500, 'An internal error has occurred.', 'INTERNAL');
      return true;
    };
    const res = await post('chat:streamGenerateContent?alt=sse');
    expect(res.status).to.equal(500);
    expect(await res.json()).to.deep.equal({ error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } });
  });
});
