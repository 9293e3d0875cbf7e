import { expect } from 'chai';
import { baseConfig, postJson, scripted } from './helpers.js';
import { startTestGateway, type TestGateway } from '../src/testing/test-gateway.js';
import { definePlugin } from '../src/define.js';
import { Context } from '../src/context.js';

describe('the caller credential on the request context', () => {
  let gw: TestGateway;
  const presented: (string | undefined)[] = [];

  before(async () => {
    gw = await startTestGateway({
      config: baseConfig,
      providers: [scripted],
      discover: false,
      plugins: [
        {
          definition: definePlugin({
            id: 'keys',
            apiVersion: 1,
            setup(api) {
              api.hooks.authenticate.tap(async (ctx) => {
                presented.push(ctx.credential);
                return ctx.credential === 'good-key' ? { id: 'key-1' } : undefined;
              });
            },
          }),
        },
      ],
    });
  });
  after(() => gw.close());
  beforeEach(() => (presented.length = 0));

  const chat = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

  it('reads `Authorization: Bearer` (any case of the scheme) and `x-api-key`', async () => {
    expect((await postJson(`${gw.url}/v1/chat/completions`, chat, { authorization: 'Bearer good-key' })).status).to.equal(200);
    expect((await postJson(`${gw.url}/v1/chat/completions`, chat, { authorization: 'bearer good-key' })).status).to.equal(200);
    expect((await postJson(`${gw.url}/endpoints/chat/invocations`, { messages: chat.messages }, { 'x-api-key': 'good-key' })).status).to.equal(200);
    expect(presented).to.deep.equal(['good-key', 'good-key', 'good-key']);
  });

  it('is undefined without a key, or with another scheme; auth then fails closed', async () => {
    const none = await postJson(`${gw.url}/v1/chat/completions`, chat);
    const basic = await postJson(`${gw.url}/v1/chat/completions`, chat, { authorization: 'Basic Z29vZC1rZXk=' });
    expect([none.status, basic.status]).to.deep.equal([401, 401]);
    expect(presented).to.deep.equal([undefined, undefined]);
  });

  it("reads a surface's own sources: a header, or a query parameter", () => {
    const base = { id: 'r', surface: 'native' as const, requested: 'chat', request: {} as never, stream: false, snapshot: gw.gateway.snapshot, rootLog: gw.gateway.log };
    const header = new Context({ ...base, headers: { 'x-goog-api-key': ' g-key ' }, credentials: [{ header: 'x-goog-api-key' }, { query: 'key' }] });
    const query = new Context({ ...base, headers: {}, query: { key: 'q-key' }, credentials: [{ header: 'x-goog-api-key' }, { query: 'key' }] });
    const ignored = new Context({ ...base, headers: { authorization: 'Bearer not-here' }, credentials: [{ query: 'key' }] });
    expect([header.credential, query.credential, ignored.credential]).to.deep.equal(['g-key', 'q-key', undefined]);
  });
});
