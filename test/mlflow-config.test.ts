// An MLflow AI Gateway config file, in the docs' exact format, starts unchanged and serves its
// three OpenAI endpoints on every surface. The "OpenAI" here is a local fake that records what
// the gateway sends it.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import type OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { cleanEnv, runCli } from './helpers/cli.js';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { FakeOpenAI, fakeVector } from './helpers/fake-openai.js';
import { openAIClient } from './helpers/openai-client.js';
import { OPENAI_MLFLOW } from './helpers/paths.js';
import { readEvents } from './helpers/sse.js';

const OPENAI_KEY = 'sk-mlflow-config-test-0123456789abcdef';
const CALLER_KEY = 'caller-own-token-must-not-travel-upstream';

/**
 * examples/openai-mlflow.yaml is the MLflow docs' quickstart verbatim; the only change for the
 * test is `openai_api_base`, so that "OpenAI" is the local fake.
 */
async function mlflowQuickstart(apiBase: string): Promise<string> {
  const text = await readFile(OPENAI_MLFLOW, 'utf8');
  const withBase = text.replace(/^( +)openai_api_key: (.*)$/gm, `$1openai_api_key: $2\n$1openai_api_base: ${apiBase}`);
  expect(withBase.match(/openai_api_base/g)).to.have.length(3);
  return withBase;
}

/** The older MLflow format: `routes` with `route_type` were endpoints. */
function olderFormat(apiBase: string): string {
  return `routes:
  - name: chat
    route_type: llm/v1/chat
    model:
      provider: openai
      name: gpt-4o-mini
      config:
        openai_api_key: $OPENAI_API_KEY
        openai_api_base: ${apiBase}
`;
}

describe('MLflow AI Gateway config files', function () {
  let fake: FakeOpenAI;
  let deployment: Deployment;
  let gw: TestGateway;
  let client: OpenAI;

  before(async function () {
    fake = await FakeOpenAI.start();
    // A user's deployment: its package.json lists the openai provider package.
    deployment = await createDeployment({ dependencies: ['@gatehousejs/provider-openai'] });
    const configPath = await deployment.write('config.yaml', await mlflowQuickstart(fake.apiBase));
    gw = await startTestGateway({ configPath, env: { OPENAI_API_KEY: OPENAI_KEY }, watch: false });
    client = openAIClient(gw.url, { apiKey: CALLER_KEY });
  });

  afterEach(function () {
    fake.reset();
  });

  after(async function () {
    await gw?.close();
    await fake?.close();
    await deployment?.remove();
  });

  /** The single request the fake received, checked for model and credentials. */
  function upstreamCall(path: string, model: string) {
    expect(fake.requests, 'upstream requests').to.have.length(1);
    const req = fake.requests[0]!;
    expect(req.method).to.equal('POST');
    expect(req.path).to.equal(path);
    expect(req.body.model).to.equal(model);
    expect(req.headers.authorization).to.equal(`Bearer ${OPENAI_KEY}`);
    // The caller's own credential never travels upstream, in any header.
    expect(JSON.stringify(req.headers)).to.not.include(CALLER_KEY);
    return req;
  }

  it('chat via the OpenAI SDK reaches OpenAI with the configured model and key', async function () {
    const reply = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi openai' }] });
    expect(reply.choices[0]!.message.content).to.equal('Fake OpenAI answer to: hi openai');
    expect(reply.usage!.total_tokens).to.equal(14);
    const req = upstreamCall('/v1/chat/completions', 'gpt-4o-mini');
    expect(req.body.messages).to.deep.equal([{ role: 'user', content: 'hi openai' }]);
    expect(req.body.stream).to.not.equal(true);
  });

  it('streamed chat via the OpenAI SDK', async function () {
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'stream it' }], stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).to.equal('Fake OpenAI answer to: stream it');
    expect(finish).to.equal('stop');
    expect(upstreamCall('/v1/chat/completions', 'gpt-4o-mini').body.stream).to.equal(true);
  });

  it('completions via the OpenAI SDK', async function () {
    const reply = await client.completions.create({ model: 'completions', prompt: 'say this' });
    expect(reply.choices[0]!.text).to.equal('Fake completion of: say this');
    upstreamCall('/v1/completions', 'gpt-4o-mini');
  });

  it("embeddings via the OpenAI SDK (its default base64), from OpenAI's floats", async function () {
    const reply = await client.embeddings.create({ model: 'embeddings', input: ['one', 'two'] });
    expect(reply.data.map((d) => d.embedding)).to.deep.equal(['one', 'two'].map((t) => fakeVector(t).map((v) => Math.fround(v))));
    const req = upstreamCall('/v1/embeddings', 'text-embedding-ada-002');
    expect(req.body.input).to.deep.equal(['one', 'two']);
  });

  for (const prefix of ['/endpoints', '/gateway']) {
    it(`${prefix}/{name}/invocations serves chat, completions and embeddings`, async function () {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${CALLER_KEY}` };
      const call = (name: string, body: unknown) =>
        fetch(`${gw.url}${prefix}/${name}/invocations`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });

      const chat = (await (await call('chat', { messages: [{ role: 'user', content: 'via mlflow' }] })).json()) as any;
      expect(chat.choices[0].message.content).to.equal('Fake OpenAI answer to: via mlflow');
      upstreamCall('/v1/chat/completions', 'gpt-4o-mini');
      fake.reset();

      const completion = (await (await call('completions', { prompt: 'p', max_tokens: 5 })).json()) as any;
      expect(completion.choices[0].text).to.equal('Fake completion of: p');
      expect(upstreamCall('/v1/completions', 'gpt-4o-mini').body.max_tokens).to.equal(5);
      fake.reset();

      const embeddings = (await (await call('embeddings', { input: 'e' })).json()) as any;
      expect(embeddings.data[0].embedding).to.deep.equal(fakeVector('e'));
      upstreamCall('/v1/embeddings', 'text-embedding-ada-002');
    });
  }

  it("streams on the invocations route in MLflow's format", async function () {
    const res = await fetch(`${gw.url}/endpoints/chat/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'mlflow stream' }], stream: true }),
      signal: AbortSignal.timeout(10_000),
    });
    const events = await readEvents(res);
    expect(events.map((e) => e.data)).to.not.include('[DONE]');
    const text = events.map((e) => (JSON.parse(e.data) as any).choices[0]?.delta?.content ?? '').join('');
    expect(text).to.equal('Fake OpenAI answer to: mlflow stream');
  });

  it('GET /api/2.0/endpoints/ lists the three endpoints with their model and limit', async function () {
    const res = await fetch(`${gw.url}/api/2.0/endpoints/`);
    const text = await res.text();
    expect(text).to.not.include(OPENAI_KEY);
    const byName = new Map(((JSON.parse(text) as any).endpoints as any[]).map((e) => [e.name, e]));
    expect([...byName.keys()].sort()).to.deep.equal(['chat', 'completions', 'embeddings']);
    expect(byName.get('completions')).to.deep.include({ endpoint_type: 'llm/v1/completions', model: { name: 'gpt-4o-mini', provider: 'openai' } });
    expect(byName.get('completions').limit).to.include({ renewal_period: 'minute', calls: 10 });
    expect(byName.get('embeddings').model).to.deep.equal({ name: 'text-embedding-ada-002', provider: 'openai' });
  });

  it('GET /api/2.0/endpoints/{name} shows one endpoint', async function () {
    const body = (await (await fetch(`${gw.url}/api/2.0/endpoints/chat`)).json()) as any;
    expect(body).to.deep.include({ name: 'chat', endpoint_type: 'llm/v1/chat', endpoint_url: '/gateway/chat/invocations' });
    expect(body.model).to.deep.equal({ name: 'gpt-4o-mini', provider: 'openai' });
  });

  it('the example file itself passes gatehouse validate unchanged', async function () {
    const run = await runCli(['validate', '--config-path', OPENAI_MLFLOW], cleanEnv({ OPENAI_API_KEY: OPENAI_KEY }));
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('OK: 3 endpoints');
  });

  describe('the older format (routes with route_type)', function () {
    let old: TestGateway;
    let oldDeployment: Deployment;

    before(async function () {
      oldDeployment = await createDeployment({ dependencies: ['@gatehousejs/provider-openai'] });
      const configPath = await oldDeployment.write('config.yaml', olderFormat(fake.apiBase));
      old = await startTestGateway({ configPath, env: { OPENAI_API_KEY: OPENAI_KEY }, watch: false });
    });

    after(async function () {
      await old?.close();
      await oldDeployment?.remove();
    });

    it('starts and serves the route as an endpoint', async function () {
      const reply = await openAIClient(old.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'old style' }] });
      expect(reply.choices[0]!.message.content).to.equal('Fake OpenAI answer to: old style');
      upstreamCall('/v1/chat/completions', 'gpt-4o-mini');
      fake.reset();
      const res = await fetch(`${old.url}/gateway/chat/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'old invocations' }] }),
      });
      expect(((await res.json()) as any).choices[0].message.content).to.equal('Fake OpenAI answer to: old invocations');
      const listed = (await (await fetch(`${old.url}/api/2.0/endpoints/`)).json()) as any;
      expect(listed.endpoints.map((e: any) => [e.name, e.endpoint_type])).to.deep.equal([['chat', 'llm/v1/chat']]);
    });
  });
});
