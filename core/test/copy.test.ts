import { expect } from 'chai';
import { assignOwn, copyOwn } from '../src/util/copy.js';
import { calls, postJson, startCore } from './helpers.js';
import type { TestGateway } from '../src/testing/test-gateway.js';

describe('copying outside objects (copyOwn)', () => {
  it('copies own enumerable keys, shallowly, and keeps a "__proto__" key as plain data', () => {
    const parsed = JSON.parse('{"model":"m","messages":[{"role":"user"}],"__proto__":{"injected":true}}') as Record<string, unknown>;
    const copy = copyOwn(parsed);
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect(Object.keys(copy)).to.deep.equal(['model', 'messages', '__proto__']);
    expect(copy.messages).to.equal(parsed.messages);
    expect('injected' in copy).to.equal(false);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).to.deep.equal({ injected: true });
    const inherited = Object.create({ fromPrototype: 1 }) as Record<string, unknown>;
    inherited.own = 2;
    expect(copyOwn(inherited)).to.deep.equal({ own: 2 });
  });

  it('assigns as data too (a later source wins), and can leave one key out of a copy', () => {
    const client = JSON.parse('{"a":1,"__proto__":{"b":2}}') as Record<string, unknown>;
    const merged = assignOwn(copyOwn({ a: 0, c: 3 }), client);
    expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
    expect(merged).to.deep.include({ a: 1, c: 3 });
    expect('b' in merged).to.equal(false);
    expect(Object.keys(copyOwn({ x: 1, generationConfig: {} }, 'generationConfig'))).to.deep.equal(['x']);
  });

  describe('a client body with a "__proto__" key', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startCore();
    });
    after(() => gw.close());

    it('reaches the provider as the client sent it: no fields inherited past validation', async () => {
      const body = '{"model":"chat","messages":[{"role":"user","content":"hi"}],"__proto__":{"temperature":"hot","injected":true}}';
      const { status } = await postJson(`${gw.url}/v1/chat/completions`, body);
      expect(status).to.equal(200);
      const request = calls.at(-1)!.request;
      expect(Object.getPrototypeOf(request)).to.equal(Object.prototype);
      expect('injected' in request).to.equal(false);
      expect(request.temperature).to.equal(undefined);
      expect(request.model).to.equal('model-a');
    });
  });
});
