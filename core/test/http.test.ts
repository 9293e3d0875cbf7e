import { expect } from 'chai';
import { calls, postJson, startCore } from './helpers.js';
import type { TestGateway } from '../src/testing/test-gateway.js';

function sseData(text: string): string[] {
  return text.split('\n\n').filter(Boolean).map((frame) => frame.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
}

describe('HTTP surface', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startCore({ config: { ...(await import('./helpers.js')).baseConfig, server: { body_limit: '2kb', cors: { origins: ['http://app.test'] } } } });
  });
  after(() => gw.close());

  const chat = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

  it('answers a chat with the provider model substituted, a request id and Server-Timing', async () => {
    const res = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, temperature: 0.5 }, { 'x-request-id': 'req-123' });
    expect(res.status).to.equal(200);
    expect(res.json.choices[0].message.content).to.equal('scripted answer');
    expect(res.headers.get('x-request-id')).to.equal('req-123');
    expect(res.headers.get('server-timing')).to.match(/^gateway;dur=[\d.]+, upstream;dur=[\d.]+$/);
    const sent = calls.at(-1)!.request;
    expect(sent.model).to.equal('model-a');
    expect(sent.temperature).to.equal(0.5);
  });

  it('puts x-request-id on the listing routes, errors included', async () => {
    const missing = await fetch(`${gw.url}/api/2.0/endpoints/nope`, { headers: { 'x-request-id': 'req-listing-1' } });
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('x-request-id')).to.equal('req-listing-1');
    const models = await fetch(`${gw.url}/v1/models`);
    expect(models.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('serves the same under /gateway/mlflow/v1 and the MLflow invocations routes', async () => {
    for (const path of ['/gateway/mlflow/v1/chat/completions']) {
      expect((await postJson(`${gw.url}${path}`, chat)).status).to.equal(200);
    }
    for (const path of ['/endpoints/chat/invocations', '/gateway/chat/invocations']) {
      const res = await postJson(`${gw.url}${path}`, { messages: chat.messages });
      expect(res.status, path).to.equal(200);
      expect(res.json.object).to.equal('chat.completion');
    }
  });

  it("streams OpenAI's chunks ending in [DONE], usage only when asked", async () => {
    const plain = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true });
    expect(plain.headers.get('content-type')).to.contain('text/event-stream');
    const frames = sseData(plain.text);
    expect(frames.at(-1)).to.equal('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('c0 c1 c2 ');
    expect(chunks.some((c) => c.usage)).to.equal(false);
    // Core asked the provider for usage anyway, to record it.
    expect((calls.at(-1)!.request.stream_options as { include_usage: boolean }).include_usage).to.equal(true);

    const withUsage = sseData((await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true, stream_options: { include_usage: true } })).text);
    const last = JSON.parse(withUsage.at(-2)!);
    expect(last.choices).to.deep.equal([]);
    expect(last.usage.total_tokens).to.equal(6);
  });

  it('takes the usage off a choice chunk the client did not ask usage for, and keeps the choice', async () => {
    const frames = sseData((await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true, script: { usage_on_finish: true } })).text);
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f));
    expect(chunks.at(-1).choices[0].finish_reason).to.equal('stop');
    expect(chunks.some((c) => 'usage' in c)).to.equal(false);
    const asked = sseData((await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true, stream_options: { include_usage: true }, script: { usage_on_finish: true } })).text);
    expect(JSON.parse(asked.at(-2)!).usage.total_tokens).to.equal(6);
  });

  it('ends a stream that fails mid-way with an error event, never [DONE]', async () => {
    const res = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true, script: { chunks: 4, fail_after: 2 } });
    expect(res.status).to.equal(200);
    const frames = sseData(res.text);
    expect(frames).to.not.include('[DONE]');
    const error = JSON.parse(frames.at(-1)!);
    expect(error.error.message).to.contain('scripted stream broke');
    expect(error.error.code).to.equal('upstream_error');
  });

  it("streams MLflow's format on invocations: no [DONE], errors as an error event", async () => {
    const ok = await postJson(`${gw.url}/endpoints/chat/invocations`, { messages: chat.messages, stream: true });
    const frames = sseData(ok.text);
    expect(frames).to.not.include('[DONE]');
    expect(JSON.parse(frames.at(-1)!).choices[0].finish_reason).to.equal('stop');
    const broken = await postJson(`${gw.url}/endpoints/chat/invocations`, { messages: chat.messages, stream: true, script: { fail_after: 1 } });
    expect(broken.text).to.contain('event: error\ndata: {"error"');
  });

  it('returns a real status when a stream fails before its first chunk', async () => {
    const res = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true, script: { status: 503 } });
    expect(res.status).to.equal(502);
    expect(res.json.error.message).to.contain('scripted upstream failed');
  });

  it('aborts the upstream call when the client disconnects', async () => {
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, stream: true, script: { chunks: 50, chunk_delay_ms: 50 } }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    const record = calls.at(-1)!;
    controller.abort();
    for (let i = 0; i < 40 && !record.aborted(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(record.aborted()).to.equal(true);
  });

  it('encodes embeddings as base64 float32 when asked', async () => {
    const floats = await postJson(`${gw.url}/v1/embeddings`, { model: 'embed', input: ['a', 'b'] });
    expect(floats.json.data[1].embedding).to.deep.equal([0.5, -0.25, 1]);
    const b64 = await postJson(`${gw.url}/v1/embeddings`, { model: 'embed', input: ['a', 'b'], encoding_format: 'base64' });
    const buf = Buffer.from(b64.json.data[1].embedding, 'base64');
    expect(Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4))).to.deep.equal([0.5, -0.25, 1]);
    expect(calls.at(-1)?.request.encoding_format).to.equal(undefined);
  });

  describe('errors in OpenAI shape', () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['bad field', '/v1/chat/completions', { ...chat, temperature: 3 }, 400, /'temperature' must be <= 2/],
      ['missing field', '/v1/chat/completions', { model: 'chat' }, 400, /'messages' is required/],
      ['bad message', '/v1/chat/completions', { model: 'chat', messages: [{ role: 'robot', content: 'x' }] }, 400, /'messages\[0\]\.role' must be one of/],
      ['missing model', '/v1/chat/completions', { messages: chat.messages }, 400, /'model' is required/],
      ['not an object', '/v1/chat/completions', [1, 2], 400, /must be a JSON object/],
      ['unknown endpoint', '/v1/chat/completions', { ...chat, model: 'nope' }, 404, /No endpoint or route named "nope"/],
      ['unknown invocations endpoint', '/endpoints/nope/invocations', { messages: chat.messages }, 404, /"nope"/],
      ['type mismatch', '/v1/embeddings', { model: 'chat', input: 'x' }, 400, /llm\/v1\/chat.*needs an endpoint of type llm\/v1\/embeddings/],
      ['unsupported type', '/v1/completions', { model: 'complete', prompt: 'x' }, 501, /does not support llm\/v1\/completions/],
      ['upstream 5xx', '/v1/chat/completions', { ...chat, script: { status: 500 } }, 502, /scripted upstream failed \(500\)/],
      ['upstream 4xx passes through', '/v1/chat/completions', { ...chat, script: { status: 422 } }, 422, /rejected \(422\) with key \[REDACTED\]/],
      ['provider bug', '/v1/chat/completions', { ...chat, script: { throw: 'kaboom sk-test-secret-value-123' } }, 500, /^Internal gateway error\.$/],
    ];
    for (const [name, path, body, status, message] of cases) {
      it(`${status}: ${name}`, async () => {
        const res = await postJson(`${gw.url}${path}`, body);
        expect(res.status).to.equal(status);
        expect(res.json.error.message).to.match(message);
        expect(res.json.error).to.have.keys('message', 'type', 'code', 'param');
        expect(res.text).to.not.contain('sk-test-secret-value-123');
      });
    }

    it('400 on invalid JSON, 413 on a body over the limit', async () => {
      const bad = await postJson(`${gw.url}/v1/chat/completions`, '{"model": ');
      expect(bad.status).to.equal(400);
      expect(bad.json.error.message).to.contain('not valid JSON');
      const big = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
      expect(big.status).to.equal(413);
      expect(big.json.error.message).to.contain('2048 bytes');
    });

    it('names the param at fault', async () => {
      const res = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, top_p: 7 });
      expect(res.json.error.param).to.equal('top_p');
    });
  });

  describe('listing and docs', () => {
    it('lists endpoints as models', async () => {
      const res = await (await fetch(`${gw.url}/v1/models`)).json();
      expect(res.data.map((m: { id: string }) => m.id)).to.deep.equal(['chat', 'embed', 'complete']);
      expect((await fetch(`${gw.url}/v1/models/chat`)).status).to.equal(200);
      expect((await fetch(`${gw.url}/v1/models/none`)).status).to.equal(404);
    });

    it("lists MLflow endpoints with MLflow's pagination and no provider options", async () => {
      const first = await (await fetch(`${gw.url}/api/2.0/endpoints/?max_results=2`)).json();
      expect(first.endpoints.map((e: { name: string }) => e.name)).to.deep.equal(['chat', 'embed']);
      expect(first.endpoints[0]).to.deep.equal({
        name: 'chat',
        endpoint_type: 'llm/v1/chat',
        model: { name: 'model-a', provider: 'scripted' },
        endpoint_url: '/gateway/chat/invocations',
        limit: null,
      });
      const second = await (await fetch(`${gw.url}/api/2.0/endpoints/?max_results=2&page_token=${encodeURIComponent(first.next_page_token)}`)).json();
      expect(second.endpoints.map((e: { name: string }) => e.name)).to.deep.equal(['complete']);
      expect(second.next_page_token).to.equal(undefined);
      expect((await fetch(`${gw.url}/api/2.0/endpoints/?page_token=garbage`)).status).to.equal(400);
      const one = await (await fetch(`${gw.url}/api/2.0/endpoints/embed`)).json();
      expect(one.endpoint_type).to.equal('llm/v1/embeddings');
      expect((await fetch(`${gw.url}/api/2.0/endpoints/nope`)).status).to.equal(404);
    });

    it('serves health, the OpenAPI document, the docs page and redirects / to /docs', async () => {
      expect(await (await fetch(`${gw.url}/health`)).json()).to.deep.equal({ status: 'OK' });
      const spec = await (await fetch(`${gw.url}/openapi.json`)).json();
      expect(spec.paths).to.include.keys('/v1/chat/completions', '/endpoints/{name}/invocations', '/api/2.0/endpoints/');
      const docs = await fetch(`${gw.url}/docs`);
      expect(await docs.text()).to.contain('swagger-ui-bundle.js');
      expect((await fetch(`${gw.url}/docs/assets/swagger-ui-bundle.js`)).status).to.equal(200);
      const root = await fetch(`${gw.url}/`, { redirect: 'manual' });
      expect(root.status).to.equal(302);
      expect(root.headers.get('location')).to.equal('/docs');
      const unknown = await fetch(`${gw.url}/nope`);
      expect(unknown.status).to.equal(404);
      expect((await unknown.json()).error.code).to.equal('route_not_found');
    });
  });

  describe('CORS', () => {
    it('answers preflights for allowed origins only', async () => {
      const ok = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, x-stainless-os' },
      });
      expect(ok.status).to.equal(204);
      expect(ok.headers.get('access-control-allow-origin')).to.equal('http://app.test');
      expect(ok.headers.get('access-control-allow-headers')).to.contain('x-stainless-os');
      const other = await fetch(`${gw.url}/health`, { headers: { origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    });
  });

  // The hot routes skip express (src/http/fast-path.ts); these are the requests it hands to express.
  describe('the same answers on and off the fast path', () => {
    it('sends CORS headers on an allowed origin’s POST', async () => {
      const res = await postJson(`${gw.url}/v1/chat/completions`, chat, { origin: 'http://app.test' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('access-control-allow-origin')).to.equal('http://app.test');
      expect(res.headers.get('access-control-expose-headers')).to.contain('x-request-id');
    });

    it('reads a chunked body (no content-length), a query string and an escaped invocations name', async () => {
      const chunked = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([JSON.stringify(chat)]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).to.equal(200);
      expect(((await chunked.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).to.equal('scripted answer');
      expect((await postJson(`${gw.url}/v1/chat/completions?api-version=1`, chat)).status).to.equal(200);
      const escaped = await postJson(`${gw.url}/endpoints/%63hat/invocations`, { messages: chat.messages });
      expect(escaped.status).to.equal(200);
      expect(escaped.json.object).to.equal('chat.completion');
    });

    it('leaves other methods and paths to express: a GET on a POST route is a 404 that names it', async () => {
      const res = await fetch(`${gw.url}/v1/chat/completions`);
      expect(res.status).to.equal(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).to.contain('GET /v1/chat/completions');
      const trailing = await postJson(`${gw.url}/v1/chat/completions/`, chat);
      expect(trailing.status).to.equal(200);
    });
  });
});
