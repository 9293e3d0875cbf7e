import { expect } from 'chai';
import { defineParamMap, translateParams } from '../src/params.js';

const table = defineParamMap({
  temperature: { scale: { from: [0, 2], to: [0, 1] } },
  stop: { to: 'stop_sequences', convert: (v) => (Array.isArray(v) ? v : [v]) },
  max_tokens: { default: 4096 },
  max_completion_tokens: { to: 'max_tokens' },
  top_k: { to: 'generationConfig.topK' },
  n: { reject: (v) => (v === 1 ? undefined : 'only n=1 is supported') },
  logit_bias: { reject: 'is not supported' },
  seed: { drop: true },
  messages: { manual: true },
});

describe('translateParams', () => {
  it('renames, scales, converts, nests and fills defaults', () => {
    const out = translateParams(table, { temperature: 1, stop: 'END', top_k: 5, extra: 'kept' }, 'test');
    expect(out).to.deep.equal({ temperature: 0.5, stop_sequences: ['END'], generationConfig: { topK: 5 }, max_tokens: 4096, extra: 'kept' });
  });

  it('lets another parameter fill a default target', () => {
    expect(translateParams(table, { max_completion_tokens: 10 }, 'test')).to.deep.equal({ max_tokens: 10 });
  });

  it('drops, skips manual keys, and rejects with a 400 naming the field', () => {
    expect(translateParams(table, { seed: 1, messages: [], max_tokens: 1 }, 'test')).to.deep.equal({ max_tokens: 1 });
    expect(() => translateParams(table, { n: 2 }, 'Acme')).to.throw(/n: only n=1 is supported \(provider Acme\)/).with.property('status', 400);
    expect(() => translateParams(table, { logit_bias: {} }, 'Acme')).to.throw(/logit_bias/).with.property('param', 'logit_bias');
    expect(translateParams(table, { n: 1 }, 'x')).to.deep.equal({ n: 1, max_tokens: 4096 });
  });

  it('treats null as absent, so defaults still apply', () => {
    expect(translateParams(table, { max_tokens: null, temperature: null }, 'x')).to.deep.equal({ max_tokens: 4096 });
  });

  it('passes a client\'s "__proto__" key on as data, never as the copy\'s prototype', () => {
    const request = JSON.parse('{"temperature":1,"__proto__":{"max_tokens":9,"n":5}}') as Record<string, unknown>;
    const out = translateParams(table, request, 'x');
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
    expect(out.max_tokens, 'the default, not an inherited value').to.equal(4096);
    expect(out.n).to.equal(undefined);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).to.deep.equal({ max_tokens: 9, n: 5 });
  });

  it('drops unknown parameters when told to', () => {
    const strict = defineParamMap({ a: {} }, { unknown: 'drop' });
    expect(translateParams(strict, { a: 1, b: 2 }, 'x')).to.deep.equal({ a: 1 });
  });

  it('freezes its tables', () => {
    expect(Object.isFrozen(table)).to.equal(true);
    expect(Object.isFrozen(table.rules.get('temperature'))).to.equal(true);
  });
});
