// Answers that need no normalising keep the upstream's bytes, so that core can send them back
// as they came instead of printing the object again; any change, or a provider that did not opt
// in, leaves no bytes behind.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, services } from '@gatehousejs/core/testing';
import { verbatimBytes, type ChatRequest, type CompletionsRequest, type EmbeddingsRequest } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '../src/index.js';
import { nStopResponse, sparseResponse, toolsResponse } from '../src/testing/fixtures/chat.js';

const ORIGIN = 'https://llm.example.com';
const settings = { provider: 'Example', baseUrl: `${ORIGIN}/v1`, headers: { Authorization: 'Bearer sk-test' }, verbatimAnswers: true };
const CHAT: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi' }] };
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('openai-compatible verbatim answers', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('keeps the exact bytes of a chat answer already in the canonical shape', async () => {
    // Spacing and key order of the upstream's own printing are kept: the bytes are its, not a re-print.
    const raw = JSON.stringify(toolsResponse, null, 1);
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: raw, headers: { 'content-type': 'application/json' } });
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const res = await instance.chat!(structuredClone(CHAT), callContext());
    expect(text(verbatimBytes(res))).to.equal(raw);
    expect(res).to.deep.equal(toolsResponse);
    expect(JSON.stringify(res)).to.equal(JSON.stringify(toolsResponse));
  });

  it('drops them when the answer needed completing (a sparse server answer)', async () => {
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: sparseResponse });
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: 'm' }));
    const res = await instance.chat!(structuredClone(CHAT), callContext());
    expect(res.id).to.match(/^chatcmpl/);
    expect(verbatimBytes(res)).to.equal(undefined);
  });

  for (const [what, edit] of [
    ['a usage total to compute', (body: Record<string, unknown>) => delete (body.usage as Record<string, unknown>).total_tokens],
    ['a null usage to drop', (body: Record<string, unknown>) => (body.usage = null)],
    ['a choice without finish_reason', (body: Record<string, unknown>) => delete (body.choices as Record<string, unknown>[])[0]!.finish_reason],
    ['a message without role', (body: Record<string, unknown>) => delete ((body.choices as Record<string, unknown>[])[0]!.message as Record<string, unknown>).role],
    ['another object name', (body: Record<string, unknown>) => (body.object = 'chat.completions')],
  ] as const) {
    it(`drops them for ${what}`, async () => {
      const body = structuredClone(nStopResponse) as unknown as Record<string, unknown>;
      edit(body);
      answer(mock.agent, ORIGIN, '/v1/chat/completions', { body });
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      const res = await instance.chat!(structuredClone(CHAT), callContext());
      expect(verbatimBytes(res)).to.equal(undefined);
    });
  }

  it('keeps them for a completions answer in the canonical shape', async () => {
    const body = { id: 'cmpl-1', object: 'text_completion', created: 1700000000, model: 'm', choices: [{ index: 0, text: 'Hi', finish_reason: 'stop', logprobs: null }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    answer(mock.agent, ORIGIN, '/v1/completions', { body });
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const res = await instance.completions!({ model: 'm', prompt: 'Hi' } as CompletionsRequest, callContext());
    expect(JSON.parse(text(verbatimBytes(res))!)).to.deep.equal(body);
  });

  const EMBEDDINGS = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, -0.25] }, { object: 'embedding', index: 1, embedding: [1, 2e-7] }], model: 'e', usage: { prompt_tokens: 3, total_tokens: 3 } };
  const EMBED: EmbeddingsRequest = { model: 'e', input: ['a', 'b'] };

  it('keeps them for an embeddings answer in the canonical shape, its vectors still readable', async () => {
    const raw = JSON.stringify(EMBEDDINGS, null, 1);
    answer(mock.agent, ORIGIN, '/v1/embeddings', { body: raw, headers: { 'content-type': 'application/json' } });
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const res = await instance.embeddings!(structuredClone(EMBED), callContext());
    expect(text(verbatimBytes(res))).to.equal(raw);
    expect(res.data[1]!.embedding).to.deep.equal([1, 2e-7]);
  });

  for (const [what, edit] of [
    ['base64 vectors to decode', (body: Record<string, unknown>) => ((body.data as Record<string, unknown>[])[0]!.embedding = Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString('base64'))],
    ['entries out of order', (body: Record<string, unknown>) => (body.data as unknown[]).reverse()],
    ['an entry without index', (body: Record<string, unknown>) => delete (body.data as Record<string, unknown>[])[0]!.index],
    ['a usage total to compute', (body: Record<string, unknown>) => delete (body.usage as Record<string, unknown>).total_tokens],
    ['a null usage to drop', (body: Record<string, unknown>) => (body.usage = null)],
    ['no model', (body: Record<string, unknown>) => delete body.model],
    ['another object name', (body: Record<string, unknown>) => (body.object = 'embeddings')],
  ] as const) {
    it(`drops them for an embeddings answer with ${what}`, async () => {
      const body = structuredClone(EMBEDDINGS) as unknown as Record<string, unknown>;
      edit(body);
      answer(mock.agent, ORIGIN, '/v1/embeddings', { body });
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: 'e' }));
      const res = await instance.embeddings!(structuredClone(EMBED), callContext());
      expect(res.data.map((item) => item.index)).to.deep.equal([0, 1]);
      expect(verbatimBytes(res)).to.equal(undefined);
    });
  }

  it('keeps none without verbatimAnswers (a provider that wraps the methods to edit their answers)', async () => {
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: toolsResponse });
    const instance = createOpenAICompatibleInstance({ ...settings, verbatimAnswers: false }, services(mock.agent));
    const res = await instance.chat!(structuredClone(CHAT), callContext());
    expect(res).to.deep.equal(toolsResponse);
    expect(verbatimBytes(res)).to.equal(undefined);
  });
});
