import { expect } from 'chai';
import { definePlugin, defineProvider } from '../src/define.js';
import { Gateway } from '../src/gateway.js';
import type { RequestContext } from '../src/api/context.js';
import type { TestGateway } from '../src/testing/test-gateway.js';
import { calls, postJson, scripted, startCore } from './helpers.js';
import { AcmeUpstream, GATEWAY_KEY, acme, acmeRoutes, received } from './native-helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 20) await sleep(20);
}

describe('native passthrough routes', () => {
  let upstream: AcmeUpstream;
  let gw: TestGateway;
  const seen: RequestContext[] = [];
  const spy = definePlugin({
    id: 'spy',
    apiVersion: 1,
    setup(api) {
      api.hooks.onResponse.tap(async (ctx) => void seen.push(ctx));
    },
  });

  before(async () => {
    upstream = await AcmeUpstream.start();
    const acmeModel = (name: string, type: string, model: string) => ({
      name,
      endpoint_type: type,
      model: { provider: 'acme', name: model, config: { api_key: GATEWAY_KEY, base: upstream.url } },
    });
    gw = await startCore({
      providers: [scripted, acme],
      plugins: [{ definition: spy }],
      config: {
        endpoints: [
          acmeModel('acme-chat', 'llm/v1/chat', 'acme-large'),
          acmeModel('acme-embed', 'llm/v1/embeddings', 'acme-vec'),
          { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'scripted', name: 'model-a' } },
          { name: 'embed', endpoint_type: 'llm/v1/embeddings', model: { provider: 'scripted', name: 'embed-a' } },
        ],
        routes: [
          {
            name: 'acme-split',
            task_type: 'llm/v1/chat',
            routing_strategy: 'TRAFFIC_SPLIT',
            destinations: [{ name: 'acme-chat', traffic_percentage: 100 }],
          },
        ],
      },
    });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });
  beforeEach(() => {
    seen.length = 0;
    received.length = 0;
  });

  const url = (path: string) => `${gw.url}/gateway${path}`;
  const lastSeen = async () => {
    await until(() => seen.length > 0);
    return seen.at(-1)!;
  };

  it('forwards with the gateway key, never the caller credentials, and the endpoint name replaced by the model', async () => {
    const res = await postJson(
      `${url('/acme/v1/chat')}?key=caller-query-key&keep=1`,
      { model: 'acme-chat', prompt: 'hi' },
      { authorization: 'Bearer caller-key', 'x-acme-key': 'caller-acme-key', cookie: 'session=abc', 'x-api-key': 'k', 'x-client-tag': 'mine', 'x-request-id': 'req-native-1' },
    );
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.equal({ text: 'answer to hi', model: 'acme-large', usage: { in: 4, out: 3 } });
    expect(upstream.last.headers['x-acme-key']).to.equal(GATEWAY_KEY);
    expect(upstream.last.headers.authorization).to.equal(undefined);
    expect(upstream.last.body.model).to.equal('acme-large');
    const request = received.at(-1)!;
    expect(Object.keys(request.headers)).to.not.include.members(['authorization', 'x-acme-key', 'cookie', 'x-api-key', 'host', 'content-length', 'connection']);
    expect(request.headers['x-client-tag']).to.equal('mine');
    expect(request.query).to.deep.equal({ keep: '1' });
    expect(request).to.deep.include({ model: 'acme-large', stream: false });
    expect(res.headers.get('x-request-id')).to.equal('req-native-1');
    expect(res.headers.get('acme-request-id')).to.equal('acme-req-1');
  });

  it('records usage, target and status for observers once the body is sent', async () => {
    await postJson(url('/acme/v1/chat'), { model: 'acme-split', prompt: 'hi' });
    const ctx = await lastSeen();
    expect(ctx.surface).to.equal('native');
    expect(ctx.requested).to.equal('acme-split');
    expect(ctx.target).to.deep.include({ endpoint: 'acme-chat', provider: 'acme', model: 'acme-large' });
    expect(ctx.status).to.equal(200);
    expect(ctx.usage).to.deep.equal({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    expect(ctx.timings.upstreamStart).to.be.a('number');
    expect(ctx.timings.upstreamEnd).to.be.at.least(ctx.timings.upstreamStart!);
  });

  it('streams the provider frames as they come and records the usage tallied from them', async () => {
    const res = await postJson(url('/acme/v1/chat'), { model: 'acme-chat', prompt: 'hi', stream: true });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('text/event-stream');
    expect(res.headers.get('x-request-id')).to.be.a('string');
    expect(res.text).to.equal('data: {"text":"t0 "}\n\ndata: {"text":"t1 "}\n\ndata: {"text":"t2 "}\n\ndata: {"usage":{"in":4,"out":3}}\n\n');
    const ctx = await lastSeen();
    expect(ctx.stream).to.equal(true);
    expect(ctx.usage?.total_tokens).to.equal(7);
    expect(ctx.timings.firstChunk).to.be.a('number');
    expect(ctx.timings.upstreamEnd).to.be.at.least(ctx.timings.firstChunk!);
  });

  it('reads the endpoint name from a path parameter when the route says so', async () => {
    const res = await postJson(url('/acme/v1/models/acme-chat/run'), { prompt: 'by path' });
    expect(res.status).to.equal(200);
    expect(res.json.text).to.equal('answer to by path');
    // The body's own fields are left alone: the model travels beside it.
    expect(received.at(-1)!.body).to.deep.equal({ prompt: 'by path' });
    expect(received.at(-1)!.model).to.equal('acme-large');
  });

  describe('errors in the route protocol', () => {
    it('answers an unknown endpoint with a 404', async () => {
      const res = await postJson(url('/acme/v1/chat'), { model: 'nope', prompt: 'x' });
      expect(res.status).to.equal(404);
      expect(res.json.acme_error.kind).to.equal('invalid_request_error');
      expect(res.json.acme_error.text).to.contain('No endpoint or route named "nope"');
      expect(res.headers.get('x-request-id')).to.be.a('string');
    });

    it('answers a missing endpoint name, a non-object body and bad JSON with a 400', async () => {
      const missing = await postJson(url('/acme/v1/chat'), { prompt: 'x' });
      expect(missing.status).to.equal(400);
      expect(missing.json.acme_error.text).to.match(/^'model' is required/);
      const list = await postJson(url('/acme/v1/chat'), [1]);
      expect(list.status).to.equal(400);
      expect(list.json.acme_error.text).to.contain('must be a JSON object');
      const broken = await postJson(url('/acme/v1/chat'), '{"model":');
      expect(broken.status).to.equal(400);
      expect(broken.json.acme_error.text).to.contain('not valid JSON');
      expect(broken.headers.get('x-request-id')).to.match(/^[\w-]{36}$/);
    });

    it('refuses an endpoint of another type', async () => {
      const res = await postJson(url('/acme/v1/embed'), { model: 'acme-chat', input: 'x' });
      expect(res.status).to.equal(400);
      expect(res.json.acme_error.text).to.contain('is of type llm/v1/chat; this route needs an endpoint of type llm/v1/embeddings');
    });

    it("refuses another provider's endpoint on a route without translation, naming both", async () => {
      const res = await postJson(url('/acme/v1/embed'), { model: 'embed', input: 'x' });
      expect(res.status).to.equal(400);
      expect(res.json.acme_error.text).to.equal(
        'Endpoint "embed" is served by provider "scripted": POST /gateway/acme/v1/embed serves only endpoints of provider "acme".',
      );
      expect(received).to.have.length(0);
    });

    for (const status of [422, 503]) {
      it(`passes an upstream ${status} through with its status and its body, secrets scrubbed`, async () => {
        const res = await postJson(url('/acme/v1/chat'), { model: 'acme-chat', prompt: 'x', script: { status } });
        expect(res.status).to.equal(status);
        expect(res.json).to.deep.equal({ acme_error: { text: `refused (${status}) for key [REDACTED]` } });
        expect(res.text).to.not.contain(GATEWAY_KEY);
        const ctx = await lastSeen();
        expect(ctx.status).to.equal(status);
        expect(ctx.error?.code).to.equal('GW_ERR_UPSTREAM_ERROR');
      });
    }

    it('answers an unreachable upstream with a 502 in the route shape, without a stack', async () => {
      const closed = await AcmeUpstream.start();
      const port = new URL(closed.url).port;
      await closed.close();
      const local = await startCore({
        providers: [acme],
        config: { endpoints: [{ name: 'gone', endpoint_type: 'llm/v1/chat', model: { provider: 'acme', name: 'm', config: { api_key: GATEWAY_KEY, base: `http://127.0.0.1:${port}` } } }] },
      });
      try {
        const gone = await postJson(`${local.url}/gateway/acme/v1/chat`, { model: 'gone', prompt: 'x' });
        expect(gone.status).to.equal(502);
        expect(gone.json.acme_error.text).to.match(/^Could not reach Acme/);
        expect(gone.text).to.not.match(/\bat \S+ \(/);
      } finally {
        await local.close();
      }
    });

    it('ends a stream that breaks mid-way with the route error frame, never a clean end', async () => {
      const res = await postJson(url('/acme/v1/chat'), { model: 'acme-chat', prompt: 'x', stream: true, script: { frames: 5, break_after: 2, frame_delay_ms: 10 } });
      expect(res.status).to.equal(200);
      expect(res.text.startsWith('data: {"text":"t0 "}\n\ndata: {"text":"t1 "}\n\n')).to.equal(true);
      expect(res.text).to.match(/event: failure\ndata: \{"text":"[^"]+"\}\n\n$/);
      const ctx = await lastSeen();
      expect(ctx.error).to.not.equal(undefined);
    });
  });

  it('aborts the upstream call when the client disconnects mid-stream', async () => {
    const controller = new AbortController();
    const res = await fetch(url('/acme/v1/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'acme-chat', prompt: 'x', stream: true, script: { frames: 200, frame_delay_ms: 20 } }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const record = upstream.last;
    await until(() => record.cutShort);
    expect(record.cutShort).to.equal(true);
    const ctx = await lastSeen();
    expect(ctx.signal.aborted).to.equal(true);
  });

  describe("another provider's endpoint, through the route's translation", () => {
    it('answers in the route protocol and records the canonical usage', async () => {
      const res = await postJson(url('/acme/v1/chat'), { model: 'chat', prompt: 'hi' }, { authorization: 'Bearer caller' });
      expect(res.status).to.equal(200);
      expect(res.json).to.deep.equal({ text: 'scripted answer', model: 'chat' });
      expect(calls.at(-1)!.request.model).to.equal('model-a');
      expect(calls.at(-1)!.request.messages).to.deep.equal([{ role: 'user', content: 'hi' }]);
      const ctx = await lastSeen();
      expect(ctx.target).to.deep.include({ endpoint: 'chat', provider: 'scripted' });
      expect(ctx.usage?.total_tokens).to.equal(5);
    });

    it('streams in the route protocol, and a failure mid-way is its error frame', async () => {
      const ok = await postJson(url('/acme/v1/chat'), { model: 'chat', prompt: 'hi', stream: true });
      expect(ok.text).to.equal('data: {"text":"c0 "}\n\ndata: {"text":"c1 "}\n\ndata: {"text":"c2 "}\n\ndata: {"done":true}\n\n');
      expect((await lastSeen()).usage?.completion_tokens).to.equal(3);
      const broken = await postJson(url('/acme/v1/chat'), { model: 'chat', prompt: 'hi', stream: true, script: { fail_after: 1 } });
      expect(broken.text).to.equal('data: {"text":"c0 "}\n\nevent: failure\ndata: {"text":"scripted stream broke"}\n\n');
    });

    it('answers a body the translation refuses with a 400 in the route shape', async () => {
      const res = await postJson(url('/acme/v1/chat'), { model: 'chat' });
      expect(res.status).to.equal(400);
      expect(res.json.acme_error.text).to.equal("'prompt' is required.");
    });

    it('answers an upstream failure in the route shape, not the other provider body', async () => {
      const res = await postJson(url('/acme/v1/chat'), { model: 'chat', prompt: 'hi', script: { status: 422 } });
      expect(res.status).to.equal(422);
      expect(res.json.acme_error.text).to.contain('scripted upstream rejected (422)');
    });
  });
});

describe('native routes at start-up', () => {
  const config = { endpoints: [] };

  it('fails on two providers declaring the same method and path', async () => {
    const twin = defineProvider({ id: 'twin', apiVersion: 1, nativeRoutes: [{ ...acmeRoutes[0]!, path: '/acme/v1/chat' }], create: () => ({}) });
    const error = await Gateway.create({ providers: [acme, twin], config, discover: false }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).to.equal('GW_ERR_PLUGIN_DUPLICATE');
    expect(error?.message).to.equal('Native route POST /gateway/acme/v1/chat is declared by both provider "acme" and provider "twin".');
  });

  it('treats parameter names alike but literal colons as text', async () => {
    const a = defineProvider({ id: 'pa', apiVersion: 1, nativeRoutes: [{ ...acmeRoutes[0]!, path: '/p/models/:a\\:run' }], create: () => ({}) });
    const b = defineProvider({ id: 'pb', apiVersion: 1, nativeRoutes: [{ ...acmeRoutes[0]!, path: '/p/models/:b\\:walk' }], create: () => ({}) });
    const gw = await Gateway.create({ providers: [a, b], config, discover: false });
    expect(gw.nativeRoutes.map((r) => r.path)).to.deep.equal(['/gateway/p/models/:a\\:run', '/gateway/p/models/:b\\:walk']);
    await gw.close();
    const c = defineProvider({ id: 'pc', apiVersion: 1, nativeRoutes: [{ ...acmeRoutes[0]!, path: '/p/models/:c\\:run' }], create: () => ({}) });
    const clash = await Gateway.create({ providers: [a, c], config, discover: false }).catch((e: { code: string }) => e);
    expect((clash as { code: string }).code).to.equal('GW_ERR_PLUGIN_DUPLICATE');
  });

  it('refuses a malformed route definition, naming the provider', async () => {
    const bad = defineProvider({ id: 'bad', apiVersion: 1, nativeRoutes: [{ ...acmeRoutes[0]!, path: 'no-slash' }], create: () => ({}) });
    const error = await Gateway.create({ providers: [bad], config, discover: false }).catch((e: Error) => e);
    expect((error as Error).message).to.equal('Provider "bad": native route POST no-slash: path must start with "/".');
  });
});

describe('native routes behind an auth plugin', () => {
  let upstream: AcmeUpstream;
  let gw: TestGateway;
  const auth = definePlugin({
    id: 'acme-auth',
    apiVersion: 1,
    setup(api) {
      // The protocol's own key header is how its SDK sends the gateway key.
      api.hooks.authenticate.tap(async (ctx) => (ctx.headers['x-acme-key'] === 'gateway-user-key' ? { id: 'user-1' } : undefined));
    },
  });
  before(async () => {
    upstream = await AcmeUpstream.start();
    gw = await startCore({
      providers: [acme, scripted],
      plugins: [{ definition: auth }],
      config: {
        endpoints: [
          { name: 'a', endpoint_type: 'llm/v1/chat', model: { provider: 'acme', name: 'm', config: { api_key: GATEWAY_KEY, base: upstream.url } } },
          { name: 'other', endpoint_type: 'llm/v1/chat', model: { provider: 'scripted', name: 'model-a' } },
        ],
      },
    });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('refuses a caller the plugin does not recognise with a 401 in the route shape, and never calls the provider', async () => {
    const res = await postJson(`${gw.url}/gateway/acme/v1/chat`, { model: 'a', prompt: 'x' }, { 'x-acme-key': 'wrong' });
    expect(res.status).to.equal(401);
    expect(res.json.acme_error.kind).to.equal('authentication_error');
    expect(upstream.requests).to.have.length(0);
  });

  it('authenticates before the translation judges the body', async () => {
    const res = await postJson(`${gw.url}/gateway/acme/v1/chat`, { model: 'other' }, { 'x-acme-key': 'wrong' });
    expect(res.status).to.equal(401);
  });

  it("lets a recognised caller through with the gateway's key in place of the caller's", async () => {
    const res = await postJson(`${gw.url}/gateway/acme/v1/chat`, { model: 'a', prompt: 'x' }, { 'x-acme-key': 'gateway-user-key' });
    expect(res.status).to.equal(200);
    expect(upstream.last.headers['x-acme-key']).to.equal(GATEWAY_KEY);
  });

  it('lists the native routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters: unknown[] }>> };
    expect(doc.paths['/gateway/acme/v1/chat']).to.have.property('post');
    expect(doc.paths['/gateway/acme/v1/models/{endpoint}/run']!.post!.parameters).to.deep.equal([{ name: 'endpoint', in: 'path', required: true, schema: { type: 'string' } }]);
  });
});

describe('native routes and the other surfaces', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startCore();
  });
  after(() => gw.close());

  it('leaves /gateway/{name}/invocations and unknown /gateway paths as they were', async () => {
    expect((await postJson(`${gw.url}/gateway/chat/invocations`, { messages: [{ role: 'user', content: 'x' }] })).status).to.equal(200);
    const res = await postJson(`${gw.url}/gateway/acme/v1/chat`, { model: 'chat' });
    expect(res.status).to.equal(404);
    expect(res.json.error.code).to.equal('route_not_found');
  });
});
