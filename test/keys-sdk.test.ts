// Gateway keys as SDK users meet them: the official OpenAI SDK and both Anthropic SDK lines
// authenticate with a Gatehouse key (declared in the config from $ENV, or issued over the admin
// API); 401 and 403 arrive as the SDKs' own error classes; the caller's key never reaches a
// provider. Last, everything the gateway logged and answered is scanned for every secret.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import Anthropic0 from 'anthropic-sdk-0';
import Anthropic1 from 'anthropic-sdk-1';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { FakeAnthropic } from './helpers/fake-anthropic.js';
import { FakeOpenAI } from './helpers/fake-openai.js';
import { rejection } from './helpers/openai-client.js';

const token = () => randomBytes(16).toString('hex');
// Distinctive per run; only the provider keys look like keys, the rest must be caught by name.
const SECRETS = {
  team: `teamSECRET${token()}`,
  embOnly: `embSECRET${token()}`,
  admin: `adminSECRET${token()}`,
  openai: `sk-proj-providerSECRET${token()}`,
  anthropic: `sk-ant-api03-providerSECRET${token()}`,
};
const ENV = {
  GH_TEST_TEAM_KEY: SECRETS.team,
  GH_TEST_EMB_KEY: SECRETS.embOnly,
  GH_TEST_ADMIN_KEY: SECRETS.admin,
  GH_TEST_OPENAI_KEY: SECRETS.openai,
  GH_TEST_ANTHROPIC_KEY: SECRETS.anthropic,
};

function config(openaiBase: string, anthropicBase: string, dataDir: string): string {
  return `logging:
  level: debug
endpoints:
  - { name: chat, endpoint_type: llm/v1/chat, model: { provider: mock, name: mock-chat, config: { chunk_delay_ms: 1 } } }
  - { name: embeddings, endpoint_type: llm/v1/embeddings, model: { provider: mock, name: mock-embeddings } }
  - name: gpt
    endpoint_type: llm/v1/chat
    model: { provider: openai, name: gpt-4o-mini, config: { openai_api_key: $GH_TEST_OPENAI_KEY, openai_api_base: ${openaiBase} } }
  - name: claude
    endpoint_type: llm/v1/chat
    model: { provider: anthropic, name: claude-sonnet-4-20250514, config: { anthropic_api_key: $GH_TEST_ANTHROPIC_KEY, anthropic_api_base: ${anthropicBase} } }
usage:
  data_dir: ${JSON.stringify(dataDir)}
keys:
  admin_key: $GH_TEST_ADMIN_KEY
  keys:
    - { name: team, key: $GH_TEST_TEAM_KEY, owner: team@example.com }
    - { name: embeddings-only, key: $GH_TEST_EMB_KEY, endpoints: [embeddings] }
`;
}

/** Everything the gateway answered: status line, headers and body of every reply. */
const answered: string[] = [];
/** A fetch that records each reply (a clone, so streams still reach the SDK as they arrive). */
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const pairs: string[] = [];
  res.headers.forEach((value, name) => pairs.push(`${name}: ${value}`));
  const headers = pairs.join('\n');
  void res
    .clone()
    .text()
    .then((text) => answered.push(`${res.status} ${headers} ${text}`));
  return res;
};

const user = (content: string) => [{ role: 'user' as const, content }];

describe('gateway keys with the official SDKs', function () {
  this.timeout(30_000);
  let openaiUpstream: FakeOpenAI;
  let anthropicUpstream: FakeAnthropic;
  let deployment: Deployment;
  let gw: TestGateway;
  /** The issued key, shown once by the admin API: it is in that one answer and must be nowhere else. */
  let issued: { id: string; key: string } | undefined;
  const createAnswers: string[] = [];

  const openai = (apiKey: string) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey, maxRetries: 0, timeout: 15_000, fetch: recordingFetch });

  before(async () => {
    openaiUpstream = await FakeOpenAI.start();
    anthropicUpstream = await FakeAnthropic.start();
    deployment = await createDeployment({
      dependencies: [
        '@gatehousejs/provider-mock',
        '@gatehousejs/provider-openai',
        '@gatehousejs/provider-anthropic',
        '@gatehousejs/plugin-usage',
        '@gatehousejs/plugin-keys',
        '@gatehousejs/plugin-logger',
      ],
    });
    const configPath = await deployment.write('config.yaml', config(openaiUpstream.apiBase, anthropicUpstream.url, `${deployment.dir}/data`));
    gw = await startTestGateway({ configPath, watch: false, env: { ...process.env, ...ENV } });
  });

  after(async () => {
    await gw?.close();
    await openaiUpstream?.close();
    await anthropicUpstream?.close();
    await deployment?.remove();
  });

  describe('openai SDK', () => {
    it('a declared key works, plain and streamed; the provider sees only its own key', async () => {
      const client = openai(SECRETS.team);
      const reply = await client.chat.completions.create({ model: 'chat', messages: user('hello') });
      expect(reply.choices[0]!.message.content).to.contain('hello');
      let text = '';
      for await (const chunk of await client.chat.completions.create({ model: 'chat', messages: user('stream to me'), stream: true })) {
        text += chunk.choices[0]?.delta.content ?? '';
      }
      expect(text).to.contain('stream to me');
      expect((await client.chat.completions.create({ model: 'gpt', messages: user('upstream') })).choices).to.have.length(1);
      expect(openaiUpstream.requests).to.have.length(1);
      expect(openaiUpstream.requests[0]!.headers.authorization).to.equal(`Bearer ${SECRETS.openai}`);
      expect(JSON.stringify(openaiUpstream.requests)).to.not.contain(SECRETS.team);
    });

    it('an unknown key is an AuthenticationError (401)', async () => {
      const error = await rejection(openai(`wrong${token()}`).chat.completions.create({ model: 'chat', messages: user('hi') }));
      expect(error).to.be.instanceOf(OpenAI.AuthenticationError);
      expect(error.status).to.equal(401);
      expect(error.message).to.contain('Invalid API key');
    });

    it('a key off its allowlist is a PermissionDeniedError (403); on its endpoint it works', async () => {
      const client = openai(SECRETS.embOnly);
      const error = await rejection(client.chat.completions.create({ model: 'chat', messages: user('hi') }));
      expect(error).to.be.instanceOf(OpenAI.PermissionDeniedError);
      expect(error.status).to.equal(403);
      const vectors = await client.embeddings.create({ model: 'embeddings', input: ['a', 'b'] });
      expect(vectors.data).to.have.length(2);
    });

    it('a key issued over the admin API works until it is revoked', async () => {
      const res = await recordingFetch(`${gw.url}/api/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRETS.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'sdk-user', endpoints: ['chat'] }),
      });
      expect(res.status).to.equal(201);
      issued = (await res.json()) as { id: string; key: string };
      createAnswers.push(issued.key);
      expect((await openai(issued.key).chat.completions.create({ model: 'chat', messages: user('issued') })).choices).to.have.length(1);
      const revoke = await recordingFetch(`${gw.url}/api/keys/${issued.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${SECRETS.admin}` } });
      expect(revoke.status).to.equal(200);
      const error = await rejection(openai(issued.key).chat.completions.create({ model: 'chat', messages: user('issued') }));
      expect(error).to.be.instanceOf(OpenAI.AuthenticationError);
      expect(error.message).to.contain('revoked');
    });
  });

  const LINES = [
    { name: '@anthropic-ai/sdk 0.x (x-api-key)', Sdk: Anthropic0 as unknown as typeof Anthropic1 },
    { name: '@anthropic-ai/sdk 1.x (Authorization: Bearer)', Sdk: Anthropic1 },
  ];
  for (const { name, Sdk } of LINES) {
    describe(name, () => {
      const client = (apiKey: string) => new Sdk({ baseURL: `${gw.url}/gateway/anthropic`, apiKey, maxRetries: 0, fetch: recordingFetch });

      it('messages.create works with a declared key, translated or passed through; Anthropic sees only its own key', async () => {
        const translated = await client(SECRETS.team).messages.create({ model: 'chat', max_tokens: 64, messages: user('hello claude') });
        expect(translated.content[0]).to.deep.include({ type: 'text' });
        anthropicUpstream.requests.length = 0;
        const passed = await client(SECRETS.team).messages.create({ model: 'claude', max_tokens: 64, messages: user('pass me through') });
        expect(passed.content).to.have.length(1);
        expect(anthropicUpstream.requests).to.have.length(1);
        expect(anthropicUpstream.requests[0]!.headers['x-api-key']).to.equal(SECRETS.anthropic);
        expect(anthropicUpstream.requests[0]!.headers).to.not.have.property('authorization');
        expect(JSON.stringify(anthropicUpstream.requests)).to.not.contain(SECRETS.team);
      });

      it('a streamed message works with a declared key', async () => {
        const stream = await client(SECRETS.team).messages.create({ model: 'chat', max_tokens: 64, messages: user('stream please'), stream: true });
        let text = '';
        for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
        expect(text).to.contain('stream please');
      });

      it('an unknown key is an AuthenticationError (401), in Anthropic’s error shape', async () => {
        const error = await rejection(client(`wrong${token()}`).messages.create({ model: 'chat', max_tokens: 64, messages: user('hi') }));
        expect(error).to.be.instanceOf(Sdk.AuthenticationError);
        expect(error.status).to.equal(401);
        expect(error.error).to.deep.include({ type: 'error' });
        expect(error.error.error).to.include({ type: 'authentication_error' });
      });

      it('a key off its allowlist is a PermissionDeniedError (403)', async () => {
        const error = await rejection(client(SECRETS.embOnly).messages.create({ model: 'chat', max_tokens: 64, messages: user('hi') }));
        expect(error).to.be.instanceOf(Sdk.PermissionDeniedError);
        expect(error.status).to.equal(403);
        expect(error.error.error).to.include({ type: 'permission_error' });
      });
    });
  }

  // Last (nested describes run after the tests above): everything the suite made the gateway do.
  describe('secrets', () => {
    it('no configured secret, key or key hash appears in anything the gateway logged or answered', async () => {
      // The usage records and metrics, read with the admin key, are part of what it answered.
      for (const route of ['/api/usage/requests?limit=1000', '/api/usage/summary?group_by=key', '/metrics', '/api/keys']) {
        const res = await recordingFetch(`${gw.url}${route}`, { headers: { authorization: `Bearer ${SECRETS.admin}` } });
        expect(res.status, route).to.equal(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 200)); // the last clones are read
      const keys: Record<string, string> = { ...SECRETS, ...(issued ? { issued: issued.key } : {}) };
      const needles: Record<string, string> = { ...keys };
      for (const [name, value] of Object.entries(keys)) {
        const hash = createHash('sha256').update(value).digest();
        needles[`${name} sha256 hex`] = hash.toString('hex');
        needles[`${name} sha256 base64`] = hash.toString('base64');
      }
      // The issued key's secret part (after gh_<id>_): its id is public by design.
      if (issued) needles['issued secret'] = issued.key.slice(20);
      // The one answer allowed to hold a key: the admin API's create, which shows it once.
      const scanned = [...gw.logs, ...answered.filter((a) => !createAnswers.some((key) => a.includes(`"key":"${key}"`)))];
      expect(answered.length).to.be.greaterThan(20);
      expect(gw.logs.length).to.be.greaterThan(20);
      const found = Object.entries(needles).filter(([, needle]) => scanned.some((text) => text.includes(needle)));
      expect(found.map(([name]) => name)).to.deep.equal([]);
    });
  });
});
