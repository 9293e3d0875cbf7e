import { expect } from 'chai';
import { postJson, scripted, startCore } from './helpers.js';
import { acme, AcmeUpstream, GATEWAY_KEY } from './native-helpers.js';
import { definePlugin } from '../src/define.js';
import type { TestGateway } from '../src/testing/test-gateway.js';

describe('native routes: fallbacks, breakers and the caller credential', () => {
  let upstream: AcmeUpstream;
  let gw: TestGateway;
  let deadPort: string;
  const credentials: (string | undefined)[] = [];

  before(async () => {
    upstream = await AcmeUpstream.start();
    const closed = await AcmeUpstream.start();
    deadPort = new URL(closed.url).port;
    await closed.close();
    const acmeAt = (name: string, base: string, extra: Record<string, unknown> = {}) => ({
      name,
      endpoint_type: 'llm/v1/chat',
      model: { provider: 'acme', name: `model-${name}`, config: { api_key: GATEWAY_KEY, base } },
      ...extra,
    });
    gw = await startCore({
      providers: [scripted, acme],
      plugins: [
        {
          definition: definePlugin({
            id: 'auth',
            apiVersion: 1,
            setup(api) {
              api.hooks.authenticate.tap(async (ctx) => {
                credentials.push(ctx.credential);
                return { id: ctx.credential ?? 'anonymous' };
              });
            },
          }),
        },
      ],
      config: {
        endpoints: [
          // A scripted (non-acme) fallback comes first: it cannot speak acme's protocol, so it is skipped.
          acmeAt('down', `http://127.0.0.1:${deadPort}`, { fallbacks: ['chat', 'up'], circuit_breaker: { failures: 1, cool_off_seconds: 60 } }),
          acmeAt('up', upstream.url),
          { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'scripted', name: 'model-a' } },
        ],
      },
    });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('falls back past an unreachable endpoint to the next one that serves the protocol', async () => {
    const res = await postJson(`${gw.url}/gateway/acme/v1/chat?key=caller-query-key`, { model: 'down', prompt: 'hello' });
    expect(res.status).to.equal(200);
    expect(res.json.text).to.equal('answer to hello');
    expect(res.json.model).to.equal('model-up');
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('up');
    // The caller's key reached the auth plugin, and never the upstream.
    expect(credentials.at(-1)).to.equal('caller-query-key');
    expect(upstream.last.path).to.not.contain('caller-query-key');
    expect(upstream.last.headers['x-acme-key']).to.equal(GATEWAY_KEY);
  });

  it('skips an endpoint whose breaker opened, without trying it', async () => {
    const before = upstream.requests.length;
    const res = await postJson(`${gw.url}/gateway/acme/v1/chat`, { model: 'down', prompt: 'again' }, { 'x-acme-key': 'caller-header-key' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-gatehouse-endpoint')).to.equal('up');
    expect(res.headers.get('x-gatehouse-attempts')).to.equal(null);
    expect(upstream.requests.length).to.equal(before + 1);
    expect(credentials.at(-1)).to.equal('caller-header-key');
  });
});
