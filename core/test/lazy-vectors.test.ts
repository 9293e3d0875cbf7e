import { expect } from 'chai';
import { lazyBase64Vector, originalBase64, parseEmbeddingsJson, stringifyJson } from '../src/lazy-vectors.js';
import { encodeEmbeddings } from '../src/embeddings-encoding.js';

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

  it('keeps a base64 vector as it came until something reads it', () => {
    const values = [0.5, -2, 1.25];
    const text = Buffer.from(new Float32Array(values).buffer).toString('base64');
    const untouched = lazyBase64Vector(text);
    expect(originalBase64(untouched)).to.equal(text);
    const response = { object: 'list' as const, model: 'm', data: [{ object: 'embedding' as const, index: 0, embedding: untouched }] };
    expect(encodeEmbeddings(response, 'base64').data[0]!.embedding).to.equal(text);
    // Read, it is the numbers; and from then on it is encoded from them.
    const read = lazyBase64Vector(text);
    expect([...read]).to.deep.equal(values);
    expect(originalBase64(read)).to.equal(undefined);
    read[0] = 4;
    const encoded = encodeEmbeddings({ ...response, data: [{ ...response.data[0]!, embedding: read }] }, 'base64').data[0]!.embedding as unknown as string;
    const bytes = Buffer.from(encoded, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).to.deep.equal([4, -2, 1.25]);
    expect(JSON.parse(stringifyJson({ v: lazyBase64Vector(text) })).v).to.deep.equal(values);
  });
});
