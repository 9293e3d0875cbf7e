// Secrets never reach a log line, a response body or a response header: every configured key
// (from env, literal, key file) is driven through successes and every kind of failure, and
// everything the gateway logged and answered is scanned for it.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Gateway } from '@gatehousejs/core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { FakeOpenAI } from './helpers/fake-openai.js';
import { givenKey, leakyUpstream, SCENARIOS, STREAM_SCENARIOS } from './helpers/leaky-upstream.js';
import { freePort } from './helpers/cli.js';

const token = () => randomBytes(16).toString('hex');
// Distinctive per run. Only some look like provider keys: the others can only be caught by
// the gateway knowing its configured secrets, not by a key-shape pattern.
const SECRETS = {
  envOpenAI: `sk-proj-envSECRET${token()}`,
  literalOpenAI: `literalSECRET${token()}`,
  fileOpenAI: `fileSECRET${token()}`,
  literalCompat: `compatSECRET${token()}`,
  envAnthropic: `sk-ant-api03-envSECRET${token()}`,
  unreachable: `unreachableSECRET${token()}`,
};
const CALLER_KEY = `callerSECRET${token()}`;
const ALL = { ...SECRETS, caller: CALLER_KEY };

/** Names of the secrets found in `text`, whole or as any 16-character piece. */
function leaks(text: string): string[] {
  return Object.entries(ALL)
    .filter(([, secret]) => {
      for (let i = 0; i + 16 <= secret.length; i++) if (text.includes(secret.slice(i, i + 16))) return true;
      return false;
    })
    .map(([name]) => name);
}

function config(apiBase: string, anthropicBase: string, deadBase: string): string {
  const openai = (name: string, type: string, model: string, key: string) => `  - name: ${name}
    endpoint_type: ${type}
    model:
      provider: openai
      name: ${model}
      config:
        openai_api_key: ${key}
        openai_api_base: ${apiBase}
`;
  return `logging:
  level: debug
server:
  upstream_timeout_seconds: 0.5
endpoints:
${openai('env-key', 'llm/v1/chat', 'gpt-4o-mini', '$GH_TEST_OPENAI_KEY')}${openai('literal-key', 'llm/v1/chat', 'gpt-4o-mini', SECRETS.literalOpenAI)}${openai('file-key', 'llm/v1/chat', 'gpt-4o-mini', './keys/openai.key')}${openai('embed', 'llm/v1/embeddings', 'text-embedding-3-small', '$GH_TEST_OPENAI_KEY')}  - name: compat
    endpoint_type: llm/v1/completions
    model:
      provider: openai-compatible
      name: local-model
      config:
        api_base: ${apiBase}
        api_key: ${SECRETS.literalCompat}
  - name: claude
    endpoint_type: llm/v1/chat
    model:
      provider: anthropic
      name: claude-sonnet-4-5
      config:
        anthropic_api_key: $GH_TEST_ANTHROPIC_KEY
        anthropic_api_base: ${anthropicBase}
  - name: unreachable
    endpoint_type: llm/v1/chat
    model:
      provider: openai
      name: gpt-4o-mini
      config:
        openai_api_key: ${SECRETS.unreachable}
        openai_api_base: ${deadBase}
`;
}

interface Answer {
  readonly what: string;
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

describe('secrets never leak', function () {
  let fake: FakeOpenAI;
  let deployment: Deployment;
  let gw: TestGateway;
  const answers: Answer[] = [];

  before(async function () {
    fake = await FakeOpenAI.start();
    fake.override = leakyUpstream;
    deployment = await createDeployment({
      // The access-log plugin too: more lines to scan.
      dependencies: [
        '@gatehousejs/plugin-logger',
        '@gatehousejs/provider-openai',
        '@gatehousejs/provider-openai-compatible',
        '@gatehousejs/provider-anthropic',
      ],
    });
    await deployment.write('keys/openai.key', `${SECRETS.fileOpenAI}\n`);
    const deadBase = `http://127.0.0.1:${await freePort()}/v1`;
    const configPath = await deployment.write('config.yaml', config(fake.apiBase, fake.url, deadBase));
    gw = await startTestGateway({
      configPath,
      watch: false,
      env: { GH_TEST_OPENAI_KEY: SECRETS.envOpenAI, GH_TEST_ANTHROPIC_KEY: SECRETS.envAnthropic },
    });
  });

  after(async function () {
    await gw?.close();
    await fake?.close();
    await deployment?.remove();
  });

  /** Send, record the whole answer (body read to the end, bounded), and scan it now. */
  async function call(what: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLER_KEY}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const headers: string[] = [];
    res.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
    const answer = { what, status: res.status, headers: headers.join('\n'), body: await res.text() };
    answers.push(answer);
    expect(leaks(answer.headers + answer.body), `${what}: ${answer.headers} ${answer.body}`).to.deep.equal([]);
    return answer;
  }

  const chatBody = (text: string, stream = false) => ({ messages: [{ role: 'user', content: text }], stream });

  it('the secrets are really in play: each endpoint sends its own key upstream', async function () {
    fake.requests.length = 0;
    for (const model of ['env-key', 'literal-key', 'file-key', 'claude']) {
      const answer = await call(`ok ${model}`, 'POST', '/v1/chat/completions', { model, ...chatBody('ok hello') });
      expect(answer.status, answer.body).to.equal(200);
    }
    expect((await call('ok compat', 'POST', '/v1/completions', { model: 'compat', prompt: 'ok p' })).status).to.equal(200);
    expect((await call('ok embed', 'POST', '/v1/embeddings', { model: 'embed', input: 'ok e' })).status).to.equal(200);
    expect(fake.requests.map(givenKey)).to.deep.equal([
      SECRETS.envOpenAI,
      SECRETS.literalOpenAI,
      SECRETS.fileOpenAI,
      SECRETS.envAnthropic,
      SECRETS.literalCompat,
      SECRETS.envOpenAI,
    ]);
  });

  for (const scenario of SCENARIOS) {
    it(`upstream "${scenario}" on every endpoint and surface`, async function () {
      for (const model of ['env-key', 'literal-key', 'file-key', 'claude']) {
        await call(`${scenario} ${model} /v1`, 'POST', '/v1/chat/completions', { model, ...chatBody(`${scenario} now`) });
        await call(`${scenario} ${model} mlflow`, 'POST', `/endpoints/${model}/invocations`, chatBody(`${scenario} now`));
      }
      await call(`${scenario} compat`, 'POST', '/v1/completions', { model: 'compat', prompt: `${scenario} now` });
      await call(`${scenario} embed`, 'POST', '/gateway/embed/invocations', { input: `${scenario} now` });
    });
  }

  for (const scenario of STREAM_SCENARIOS) {
    it(`streamed upstream "${scenario}" on both stream formats`, async function () {
      for (const model of ['env-key', 'literal-key', 'file-key']) {
        const answer = await call(`${scenario} ${model} stream`, 'POST', '/v1/chat/completions', { model, ...chatBody(`${scenario} now`, true) });
        // A failed stream never ends like a good one.
        expect(answer.body).to.not.match(/data: \[DONE\]\s*$/);
        await call(`${scenario} ${model} mlflow stream`, 'POST', `/gateway/${model}/invocations`, chatBody(`${scenario} now`, true));
      }
    });
  }

  it('an upstream 401 keeps its status and the message, with the key scrubbed', async function () {
    const answer = await call('401 check', 'POST', '/v1/chat/completions', { model: 'literal-key', ...chatBody('echo-401 now') });
    expect(answer.status).to.equal(401);
    expect(answer.body).to.include('Incorrect API key provided');
  });

  it('an unreachable upstream, gateway-side errors and the read-only routes', async function () {
    expect((await call('unreachable', 'POST', '/v1/chat/completions', { model: 'unreachable', ...chatBody('hi') })).status).to.equal(502);
    await call('unreachable stream', 'POST', '/v1/chat/completions', { model: 'unreachable', ...chatBody('hi', true) });
    await call('bad temperature', 'POST', '/v1/chat/completions', { model: 'literal-key', ...chatBody('hi'), temperature: 9 });
    await call('type mismatch', 'POST', '/v1/embeddings', { model: 'literal-key', input: 'x' });
    await call('unknown endpoint', 'POST', '/endpoints/nope/invocations', chatBody('hi'));
    await call('not json', 'POST', '/v1/chat/completions', undefined);
    for (const path of ['/v1/models', '/v1/models/literal-key', '/api/2.0/endpoints/', '/api/2.0/endpoints/file-key', '/openapi.json', '/docs', '/health']) {
      await call(`GET ${path}`, 'GET', path);
    }
  });

  it('no secret in any log line (checked after a graceful close flushed them)', async function () {
    await gw.close();
    expect(gw.logs.length).to.be.greaterThan(answers.length);
    const leaked = gw.logs.filter((line) => leaks(line).length > 0);
    expect(leaked, leaked.join('\n')).to.deep.equal([]);
  });

  it('start-up errors about a provider config never quote its secret', async function () {
    const lines: string[] = [];
    const stream = new PassThrough().on('data', (c: Buffer) => lines.push(c.toString()));
    const bad = async (modelConfig: Record<string, unknown>) => {
      const error = await Gateway.create({
        cwd: deployment.dir,
        logStream: stream,
        env: { GH_TEST_OPENAI_KEY: SECRETS.envOpenAI },
        config: { endpoints: [{ name: 'x', endpoint_type: 'llm/v1/chat', model: { provider: 'openai', name: 'm', config: modelConfig } }] },
      }).then(
        async (g) => {
          await g.close();
          throw new Error('expected Gateway.create to fail');
        },
        (e: Error) => e,
      );
      expect(error.message).to.include('/endpoints/0/model');
      expect(leaks(error.message), error.message).to.deep.equal([]);
    };
    await bad({ openai_api_key: SECRETS.literalOpenAI, openai_api_kee: SECRETS.literalCompat });
    await bad({ openai_api_key: SECRETS.literalOpenAI, openai_api_base: `not a url ${SECRETS.literalCompat}` });
    await bad({ openai_api_key: SECRETS.literalOpenAI, openai_api_type: 'azure' });
    await bad({ openai_api_key: '$GH_TEST_OPENAI_KEY', openai_api_type: 'azuread', openai_api_base: 'http://127.0.0.1:9/' });
    await bad({ openai_api_key: 42, openai_organization: SECRETS.literalCompat });
    expect(leaks(lines.join('')), lines.join('')).to.deep.equal([]);
  });
});
