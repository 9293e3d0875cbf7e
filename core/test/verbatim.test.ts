// Replies made from an upstream's own bytes: sent as they came when the provider marked them and
// nothing may have changed the answer since; printed from the object whenever a hook could edit it.
import { expect } from 'chai';
import { definePlugin, defineProvider } from '../src/define.js';
import { keepVerbatim, verbatimBytes, dropVerbatim } from '../src/verbatim.js';
import type { ChatResponse, EmbeddingsResponse } from '../src/api/openai-types.js';
import { startTestGateway, type TestGateway } from '../src/testing/test-gateway.js';
import { postJson } from './helpers.js';

// What an upstream printed its own way (spacing, key order): a re-print would not look like this.
const ANSWER = {
  id: 'chatcmpl-v',
  object: 'chat.completion',
  created: 7,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'héllo ✓' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
};
const PRINTED = JSON.stringify(ANSWER, null, 2);
const EMBEDDINGS_PRINTED = JSON.stringify({ object: 'list', model: 'e', data: [{ object: 'embedding', index: 0, embedding: [0.5, 0.25] }], usage: { prompt_tokens: 1, total_tokens: 1 } }, null, 2);

const marking = defineProvider({
  id: 'marking',
  apiVersion: 1,
  create: () => ({
    async chat(): Promise<ChatResponse> {
      return keepVerbatim(JSON.parse(PRINTED) as ChatResponse, Buffer.from(PRINTED));
    },
    async embeddings(): Promise<EmbeddingsResponse> {
      return keepVerbatim(JSON.parse(EMBEDDINGS_PRINTED) as EmbeddingsResponse, Buffer.from(EMBEDDINGS_PRINTED));
    },
  }),
});

const config = {
  endpoints: [
    { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'marking', name: 'm' } },
    { name: 'embed', endpoint_type: 'llm/v1/embeddings', model: { provider: 'marking', name: 'e' } },
  ],
};

describe('verbatim replies', () => {
  it('marks, reads and drops the bytes without showing them to JSON, keys or deep copies', () => {
    const body = keepVerbatim({ a: 1 }, Buffer.from('{"a":1}'));
    expect(Buffer.from(verbatimBytes(body)!).toString()).to.equal('{"a":1}');
    expect(JSON.stringify(body)).to.equal('{"a":1}');
    expect(Object.keys(body)).to.deep.equal(['a']);
    expect(verbatimBytes({ ...body })).to.equal(undefined);
    expect(verbatimBytes(structuredClone(body))).to.equal(undefined);
    dropVerbatim(body);
    expect(verbatimBytes(body)).to.equal(undefined);
    expect(verbatimBytes(null)).to.equal(undefined);
    expect(verbatimBytes('text')).to.equal(undefined);
  });

  describe('without response hooks', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({ config, providers: [marking], discover: false });
    });
    after(() => gw.close());

    it('sends a marked chat answer as the upstream printed it, with its byte length', async () => {
      const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(PRINTED);
      expect(Number(res.headers.get('content-length'))).to.equal(Buffer.byteLength(PRINTED));
      expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    });

    it('sends a marked embeddings answer with float vectors as the upstream printed it', async () => {
      const res = await postJson(`${gw.url}/v1/embeddings`, { model: 'embed', input: 'x' });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal(EMBEDDINGS_PRINTED);
      expect(Number(res.headers.get('content-length'))).to.equal(Buffer.byteLength(EMBEDDINGS_PRINTED));
    });

    it('prints embeddings asked for as base64 from core\'s encoded copy, whatever the provider marked', async () => {
      const res = await postJson(`${gw.url}/v1/embeddings`, { model: 'embed', input: 'x', encoding_format: 'base64' });
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain('\n');
      const bytes = Buffer.from(res.json.data[0].embedding as string, 'base64');
      expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).to.deep.equal([0.5, 0.25]);
    });
  });

  describe('with a transformResponse tap that edits the answer in place', () => {
    let gw: TestGateway;
    const editor = definePlugin({
      id: 'editor',
      apiVersion: 1,
      setup(api) {
        api.hooks.transformResponse.tap((response) => {
          (response as { system_fingerprint?: string }).system_fingerprint = 'edited in place';
          return response;
        });
      },
    });
    before(async () => {
      gw = await startTestGateway({ config, providers: [marking], plugins: [{ definition: editor }], discover: false });
    });
    after(() => gw.close());

    it('prints the edited object, not the upstream bytes', async () => {
      const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).to.equal(200);
      expect(res.json.system_fingerprint).to.equal('edited in place');
      expect(res.json.choices[0].message.content).to.equal('héllo ✓');
    });
  });
});
