// MLflow's REST surface with plain fetch: invocations (both paths), MLflow's stream format
// (no [DONE]), the endpoint listing, and errors in OpenAI's shape.
import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { QUICKSTART } from './helpers/paths.js';
import { readEvents } from './helpers/sse.js';

const ANSWER = 'This is a mock response from Gatehouse to: hello mlflow';

describe('MLflow routes', function () {
  let gw: TestGateway;

  before(async function () {
    gw = await startTestGateway({ configPath: QUICKSTART, watch: false });
  });

  after(async function () {
    await gw?.close();
  });

  function post(path: string, body: unknown): Promise<Response> {
    return fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  }

  for (const path of ['/endpoints/chat/invocations', '/gateway/chat/invocations']) {
    it(`POST ${path} answers a chat`, async function () {
      const res = await post(path, { messages: [{ role: 'user', content: 'hello mlflow' }], temperature: 0.5 });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as any;
      expect(body.object).to.equal('chat.completion');
      expect(body.choices[0].message.content).to.equal(ANSWER);
      expect(body.choices[0].finish_reason).to.equal('stop');
    });

    it(`POST ${path} streams in MLflow's format, without [DONE]`, async function () {
      const res = await post(path, { messages: [{ role: 'user', content: 'hello mlflow' }], stream: true });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
      const events = await readEvents(res);
      expect(events.map((e) => e.data)).to.not.include('[DONE]');
      expect(events.every((e) => e.event === undefined)).to.equal(true);
      const chunks = events.map((e) => JSON.parse(e.data) as any);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).to.equal(true);
      const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
      expect(text).to.equal(ANSWER);
      expect(chunks.at(-1).choices[0].finish_reason).to.equal('stop');
    });
  }

  it('completions stream as text_completion_chunk objects with a delta', async function () {
    const res = await post('/endpoints/completions/invocations', { prompt: 'tell a story', stream: true });
    const chunks = (await readEvents(res)).map((e) => JSON.parse(e.data) as any);
    expect(chunks.every((c) => c.object === 'text_completion_chunk')).to.equal(true);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).to.equal('This is a mock response from Gatehouse to: tell a story');
    expect(chunks.at(-1).choices[0].finish_reason).to.equal('stop');
  });

  it('embeddings through invocations', async function () {
    const res = await post('/gateway/embeddings/invocations', { input: ['a', 'b'] });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as any;
    expect(body.data).to.have.length(2);
    expect(body.data[0].embedding).to.have.length(8);
  });

  it('a mid-stream failure is an error event, never a clean end', async function () {
    const res = await post('/endpoints/chat/invocations', {
      messages: [{ role: 'user', content: 'x y z' }],
      stream: true,
      mock: { fail_after_chunks: 2 },
    });
    expect(res.status).to.equal(200);
    const events = await readEvents(res);
    const last = events.at(-1)!;
    expect(last.event).to.equal('error');
    expect(JSON.parse(last.data).error.message).to.include('stream failed mid-way');
  });

  it('errors use the OpenAI error shape: unknown endpoint 404, bad body 400', async function () {
    const missing = await post('/endpoints/nope/invocations', { messages: [{ role: 'user', content: 'x' }] });
    expect(missing.status).to.equal(404);
    const missingBody = (await missing.json()) as any;
    expect(missingBody.error.message).to.include('nope');
    expect(missingBody.error.type).to.be.a('string');
    expect(missingBody.error.code).to.be.a('string');
    const bad = await post('/endpoints/chat/invocations', { messages: 'not a list' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as any).error.message).to.include('messages');
  });

  it('GET /api/2.0/endpoints/ lists the endpoints; GET /api/2.0/endpoints/{name} shows one', async function () {
    const list = (await (await fetch(`${gw.url}/api/2.0/endpoints/`)).json()) as any;
    expect(list.endpoints.map((e: any) => e.name).sort()).to.deep.equal(['chat', 'completions', 'embeddings']);
    const one = await fetch(`${gw.url}/api/2.0/endpoints/embeddings`);
    expect(one.status).to.equal(200);
    const body = (await one.json()) as any;
    expect(body).to.include({ name: 'embeddings', endpoint_type: 'llm/v1/embeddings', endpoint_url: '/gateway/embeddings/invocations' });
    expect(body.model).to.deep.equal({ name: 'mock-embeddings', provider: 'mock' });
    expect((await fetch(`${gw.url}/api/2.0/endpoints/nope`)).status).to.equal(404);
  });

  it('GET /health answers OK', async function () {
    const res = await fetch(`${gw.url}/health`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'OK' });
  });
});
