// Embeddings through InvokeModel (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html):
// Amazon Titan (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html),
// one request per input, and Cohere Embed (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html).
import { expect } from 'chai';
import type { EmbeddingsRequest } from '@gatehousejs/core';
import { agentPerTest, callContext, rejection } from '@gatehousejs/core/testing';
import { COHERE, JSON_HEADERS, ORIGIN, TITAN, awsError, fixture, fixtureJson, instance, intercept } from './helpers.js';

const TITAN_PATH = '/model/amazon.titan-embed-text-v2%3A0/invoke';
const COHERE_PATH = '/model/cohere.embed-english-v3/invoke';

describe('bedrock: embeddings', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  /** Titan answers: the vector is [index, ...fixture] so the order can be checked. Returns the bodies sent. */
  function titanReplies(count: number): string[] {
    const base = fixtureJson<{ embedding: number[] }>('titan-embedding.jsonc');
    const bodies: string[] = [];
    for (let i = 0; i < count; i++) {
      mock.agent
        .get(ORIGIN)
        .intercept({ path: TITAN_PATH, method: 'POST' })
        .reply((opts) => {
          bodies.push(String(opts.body));
          const { inputText } = JSON.parse(String(opts.body)) as { inputText: string };
          const index = Number(inputText.split(' ')[1]);
          // Answer later inputs sooner, so a result that kept arrival order would fail.
          return { statusCode: 200, data: JSON.stringify({ ...base, embedding: [index, ...base.embedding], inputTextTokenCount: 2 + index }), responseOptions: { headers: { ...JSON_HEADERS } } };
        })
        .delay(5 * (count - i));
    }
    return bodies;
  }

  it('calls Titan once per input, in parallel, keeping the input order and adding up the token counts', async () => {
    const bodies = titanReplies(3);
    const req: EmbeddingsRequest = { model: TITAN, input: ['input 0', 'input 1', 'input 2'], dimensions: 256, normalize: true };
    const res = await instance(mock.agent, { model: TITAN }).embeddings!(req, callContext());
    expect(bodies).to.have.length(3);
    expect(bodies.map((b) => JSON.parse(b))).to.have.deep.members([
      { inputText: 'input 0', dimensions: 256, normalize: true },
      { inputText: 'input 1', dimensions: 256, normalize: true },
      { inputText: 'input 2', dimensions: 256, normalize: true },
    ]);
    expect(res.object).to.equal('list');
    expect(res.model).to.equal(TITAN);
    expect(res.data.map((d) => d.index)).to.deep.equal([0, 1, 2]);
    expect(res.data.map((d) => d.embedding[0])).to.deep.equal([0, 1, 2]);
    expect(res.data[0]!.embedding).to.deep.equal([0, 0.0123, -0.0456, 0.0789, -0.0012]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 9, total_tokens: 9 });
  });

  it('sends a single string input to Titan as one request', async () => {
    const sent = intercept(mock.agent, TITAN_PATH, { body: fixture('titan-embedding.jsonc') });
    const res = await instance(mock.agent, { model: TITAN }).embeddings!({ model: TITAN, input: 'hello world' }, callContext());
    expect(sent.body).to.deep.equal({ inputText: 'hello world' });
    expect(sent.headers.accept).to.equal('application/json');
    expect(res.data).to.deep.equal([{ object: 'embedding', index: 0, embedding: [0.0123, -0.0456, 0.0789, -0.0012] }]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 3, total_tokens: 3 });
  });

  it('sends all inputs to Cohere in one request with input_type search_document, usage from the token-count header', async () => {
    const sent = intercept(mock.agent, COHERE_PATH, {
      body: fixture('cohere-embeddings.jsonc'),
      headers: { ...JSON_HEADERS, 'x-amzn-bedrock-input-token-count': '6' },
    });
    const res = await instance(mock.agent, { model: COHERE }).embeddings!({ model: COHERE, input: ['hello world', 'goodbye world'], truncate: 'END' }, callContext());
    expect(sent.body).to.deep.equal({ texts: ['hello world', 'goodbye world'], input_type: 'search_document', truncate: 'END' });
    expect(res.data).to.deep.equal([
      { object: 'embedding', index: 0, embedding: [0.021, -0.034, 0.055] },
      { object: 'embedding', index: 1, embedding: [-0.011, 0.042, 0.008] },
    ]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 6, total_tokens: 6 });
  });

  it('lets the caller choose Cohere input_type, maps dimensions to output_dimension and reads {float: [...]} answers', async () => {
    const sent = intercept(mock.agent, '/model/cohere.embed-v4%3A0/invoke', { body: fixture('cohere-embeddings-by-type.jsonc') });
    const model = 'cohere.embed-v4:0';
    const res = await instance(mock.agent, { model }).embeddings!(
      { model, input: ['hello world', 'goodbye world'], input_type: 'search_query', dimensions: 512, embedding_types: ['float'] },
      callContext(),
    );
    expect(sent.body).to.deep.equal({ texts: ['hello world', 'goodbye world'], input_type: 'search_query', output_dimension: 512 });
    expect(res.data.map((d) => d.embedding)).to.deep.equal([
      [0.5, 0.25],
      [0.125, -0.5],
    ]);
  });

  it('refuses other model families, token arrays, empty input and non-float embedding types with a 400', async () => {
    const claude = await rejection(instance(mock.agent).embeddings!({ input: ['x'] }, callContext()));
    expect(claude.status).to.equal(400);
    expect(claude.message).to.contain('amazon.titan-embed-*');
    expect(claude.message).to.contain('cohere.embed-*');
    const provider = instance(mock.agent, { model: TITAN });
    expect((await rejection(provider.embeddings!({ input: [[1, 2, 3]] }, callContext()))).message).to.contain('token arrays');
    expect((await rejection(provider.embeddings!({ input: [] }, callContext()))).status).to.equal(400);
    expect((await rejection(instance(mock.agent, { model: COHERE }).embeddings!({ input: ['a'], embedding_types: ['int8'] }, callContext()))).status).to.equal(400);
  });

  it('recognises cross-region profiles and ARNs of the supported families', async () => {
    const profile = 'us.cohere.embed-v4:0';
    intercept(mock.agent, '/model/us.cohere.embed-v4%3A0/invoke', { body: fixture('cohere-embeddings.jsonc') });
    const res = await instance(mock.agent, { model: profile }).embeddings!({ input: ['hello world', 'goodbye world'] }, callContext());
    expect(res.data).to.have.length(2);
  });

  it('fails with a 502 when an answer has the wrong shape or count, and maps error answers', async () => {
    intercept(mock.agent, COHERE_PATH, { body: JSON.stringify({ embeddings: [[0.1]] }) });
    const count = await rejection(instance(mock.agent, { model: COHERE }).embeddings!({ input: ['a', 'b'] }, callContext()));
    expect(count.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    intercept(mock.agent, TITAN_PATH, { body: JSON.stringify({ embedding: 'nope' }) });
    expect((await rejection(instance(mock.agent, { model: TITAN }).embeddings!({ input: 'a' }, callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    intercept(mock.agent, TITAN_PATH, awsError(400, 'ValidationException', 'Malformed input request: expected maxLength: 50000'));
    const invalid = await rejection(instance(mock.agent, { model: TITAN }).embeddings!({ input: 'a' }, callContext()));
    expect(invalid.status).to.equal(400);
    expect(invalid.message).to.contain('expected maxLength');
  });
});
