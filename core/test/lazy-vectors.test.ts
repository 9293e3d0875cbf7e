import { expect } from 'chai';
import { parseEmbeddingsJson, stringifyJson } from '../src/lazy-vectors.js';

const answer = (vectors: string[]) =>
  `{"object":"list","data":[${vectors.map((v, i) => `{"object":"embedding","index":${i},"embedding": ${v}}`).join(',')}],"model":"m","usage":{"prompt_tokens":3,"total_tokens":3}}`;

describe('lazy embedding vectors', () => {
  const text = answer(['[0.125,-1.5e-7,3,0]', '[ 1.0 , 2E+2 ]']);

  it('parses to the same value as JSON.parse, real arrays included', () => {
    const parsed = parseEmbeddingsJson(text) as { data: { embedding: number[] }[] };
    expect(parsed).to.deep.equal(JSON.parse(text));
    expect(Array.isArray(parsed.data[0]!.embedding)).to.equal(true);
    expect(parsed.data[1]!.embedding.length).to.equal(2);
    expect([...parsed.data[0]!.embedding]).to.deep.equal([0.125, -1.5e-7, 3, 0]);
  });

  it('writes an untouched vector as the text it came in, and a read or changed one as it is now', () => {
    const parsed = parseEmbeddingsJson(text) as { data: { embedding: number[] }[] };
    const written = stringifyJson(parsed);
    expect(written).to.contain('"embedding":[0.125,-1.5e-7,3,0]').and.contain('"embedding":[ 1.0 , 2E+2 ]');
    expect(JSON.parse(written)).to.deep.equal(JSON.parse(text));
    parsed.data[1]!.embedding[0] = 9;
    const changed = JSON.parse(stringifyJson(parsed)) as { data: { embedding: number[] }[] };
    expect(changed.data[1]!.embedding).to.deep.equal([9, 200]);
    // Plain JSON.stringify (a usage record, a log) gets the numbers.
    expect(JSON.parse(JSON.stringify(parsed))).to.deep.equal(changed);
  });

  it('parses anything unusual the plain way', () => {
    const cases = [
      answer(['"AACAPwAAAEA="']), // base64
      answer(['[[1,2]]']), // nested
      answer(['[007]']), // not a JSON number: JSON.parse's error, as before
      '{"data":[{"note":"\\"embedding\\":[1,2]","embedding":[1]}]}', // the key inside a string
      '{"data":[],"extra":{"embedding":[1,2]}}', // a vector outside data[]
    ];
    for (const input of cases) {
      let expected: unknown;
      try {
        expected = JSON.parse(input);
      } catch (error) {
        expect(() => parseEmbeddingsJson(input), input).to.throw(SyntaxError);
        continue;
      }
      const parsed = parseEmbeddingsJson(input);
      expect(parsed, input).to.deep.equal(expected);
      expect(JSON.parse(stringifyJson(parsed)), input).to.deep.equal(expected);
    }
  });

  it('never takes a caller’s string for a vector mark', () => {
    const parsed = parseEmbeddingsJson(text) as Record<string, unknown>;
    parsed.note = '\u0000vector-000000000000:0';
    expect(JSON.parse(stringifyJson(parsed)).note).to.equal('\u0000vector-000000000000:0');
  });
});
