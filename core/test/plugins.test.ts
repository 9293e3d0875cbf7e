import { expect } from 'chai';
import { definePlugin } from '../src/define.js';
import { createError } from '../src/errors.js';
import { STAGE } from '../src/hooks.js';
import type { RequestContext } from '../src/api/context.js';
import type { PluginApi } from '../src/api/plugin.js';
import { postJson, startCore } from './helpers.js';
import type { TestGateway } from '../src/testing/test-gateway.js';

describe('plugin API', () => {
  let gw: TestGateway;
  const seen: RequestContext[] = [];
  let apiRef: PluginApi | undefined;
  let clockApi: PluginApi | undefined;

  const auth = definePlugin({
    id: 'test-auth',
    apiVersion: 1,
    setup(api) {
      api.hooks.authenticate.tap(async (ctx) => {
        const header = ctx.headers.authorization;
        if (header === 'Bearer good') return { id: 'key-1' };
        if (header === 'Bearer banned') throw createError('GW_ERR_FORBIDDEN', 'This key may not call this endpoint.');
        return undefined;
      });
    },
  });

  const behaviour = definePlugin({
    id: 'test-behaviour',
    apiVersion: 1,
    dependencies: ['test-auth'],
    setup(api) {
      apiRef = api;
      api.hooks.rateLimit.tap(async (ctx) =>
        (ctx.request as { user?: string }).user === 'greedy' ? { retryAfter: 7, message: 'Too many requests for this key.', headers: { 'x-ratelimit-remaining-requests': '0' } } : undefined,
      );
      api.hooks.transformRequest.tap(async (request) => ({ ...request, temperature: 0.1 }));
      api.hooks.transformResponse.tap(async (response, ctx) => ({ ...response, system_fingerprint: `seen-by-plugin-${ctx.principal?.id}` }));
      api.hooks.transformChunk.tap((chunk) => ({ ...chunk, id: 'rewritten' }));
      api.hooks.onResponse.tap({ stage: STAGE.LATE }, async (ctx) => void seen.push(ctx));
      api.http.route({ method: 'GET', path: '/hello', handler: (req) => ({ body: { hello: req.query.name ?? 'world' } }) });
      api.http.route({
        method: 'POST',
        path: '/ask',
        handler: async (req) => {
          const result = await api.invoke('chat', { messages: [{ role: 'user', content: String((req.body as { q: string }).q) }] });
          return { body: { answer: (result.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content } };
        },
      });
      api.cli.command({ name: 'hello', description: 'says hello', run: () => 0 });
    },
  });

  before(async () => {
    gw = await startCore({ plugins: [{ definition: behaviour }, { definition: auth }] });
  });
  after(() => gw.close());

  const chat = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };
  const good = { authorization: 'Bearer good' };

  it('refuses callers no authenticate tap recognises (401) and passes 403s through', async () => {
    const none = await postJson(`${gw.url}/v1/chat/completions`, chat);
    expect(none.status).to.equal(401);
    expect(none.json.error.type).to.equal('authentication_error');
    const banned = await postJson(`${gw.url}/v1/chat/completions`, chat, { authorization: 'Bearer banned' });
    expect(banned.status).to.equal(403);
    expect(banned.json.error.message).to.equal('This key may not call this endpoint.');
  });

  it('answers a rate-limit denial with 429, Retry-After and the plugin headers', async () => {
    const res = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, user: 'greedy' }, good);
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('7');
    expect(res.headers.get('x-ratelimit-remaining-requests')).to.equal('0');
  });

  it('runs the transforms and reports to onResponse with the principal, status and usage', async () => {
    const res = await postJson(`${gw.url}/v1/chat/completions`, chat, good);
    expect(res.status).to.equal(200);
    expect(res.json.system_fingerprint).to.equal('seen-by-plugin-key-1');
    const stream = await postJson(`${gw.url}/v1/chat/completions`, { ...chat, stream: true }, good);
    expect(stream.text).to.contain('"id":"rewritten"');
    for (let i = 0; i < 20 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const last = seen.at(-1)!;
    expect(last.principal?.id).to.equal('key-1');
    expect(last.status).to.equal(200);
    expect(last.stream).to.equal(true);
    expect(last.usage?.total_tokens).to.equal(6);
    expect(last.target.endpoint).to.equal('chat');
    expect(last.timings.firstChunk).to.be.a('number');
  });

  it('mounts plugin routes under /plugins/<id> and lets them invoke endpoints', async () => {
    const hello = await (await fetch(`${gw.url}/plugins/test-behaviour/hello?name=ada`)).json();
    expect(hello).to.deep.equal({ hello: 'ada' });
    const ask = await postJson(`${gw.url}/plugins/test-behaviour/ask`, { q: 'why?' });
    expect(ask.json).to.deep.equal({ answer: 'scripted answer' });
  });

  it('exposes CLI commands and a read-only endpoint view', () => {
    expect(gw.gateway.cliCommands.map((c) => c.command.name)).to.deep.equal(['hello']);
    expect(apiRef!.endpoints.list().map((e) => e.name)).to.deep.equal(['chat', 'embed', 'complete']);
    expect(apiRef!.endpoints.get('chat')?.model.provider).to.equal('scripted');
  });

  it('redacts configured secrets for plugins that record data', () => {
    expect(apiRef!.redact('key=sk-test-secret-value-123')).to.equal('key=[REDACTED]');
    expect(apiRef!.redact({ nested: ['sk-test-secret-value-123'] })).to.deep.equal({ nested: ['[REDACTED]'] });
    expect(apiRef!.redact('my key is gh_0123456789abcdef_Vb0rQ1wAbCdEf-_x9 ok')).to.equal('my key is [REDACTED] ok');
  });

  it('resolves a plugin config secret from the environment and masks it from then on', async () => {
    const value = 'plugin-secret-from-env-0123456789';
    process.env.GH_TEST_PLUGIN_SECRET = value;
    try {
      expect(await apiRef!.resolveSecret('$GH_TEST_PLUGIN_SECRET', '/thing/key')).to.equal(value);
      expect(apiRef!.redact(`got ${value}`)).to.equal('got [REDACTED]');
      expect(await apiRef!.resolveSecret('a-literal-secret-value', '/thing/key')).to.equal('a-literal-secret-value');
      const unset = await apiRef!.resolveSecret('$GH_TEST_PLUGIN_UNSET', '/thing/key').catch((e: Error) => e);
      expect((unset as Error).message).to.contain('/thing/key refers to the environment variable GH_TEST_PLUGIN_UNSET');
    } finally {
      delete process.env.GH_TEST_PLUGIN_SECRET;
    }
  });

  it("gives plugins the gateway's clock, the one its counters use", async () => {
    let now = Date.parse('2026-03-14T15:09:59.500Z');
    const clocked = await startCore({ clock: { now: () => now }, plugins: [{ definition: definePlugin({ id: 'test-clock', apiVersion: 1, setup: (api) => void (clockApi = api) }) }] });
    try {
      expect(clockApi!.clock.now()).to.equal(now);
      expect(await clockApi!.counters.consume('k', 1, 1, 'minute')).to.include({ allowed: true, resetMs: 500 });
      now += 500;
      expect(await clockApi!.counters.consume('k', 1, 1, 'minute')).to.include({ allowed: true, used: 1 });
    } finally {
      await clocked.close();
    }
  });

  it('refuses new taps once the gateway is ready', () => {
    expect(() => apiRef!.hooks.onRequest.tap(async () => undefined)).to.throw(/frozen/);
  });
});
