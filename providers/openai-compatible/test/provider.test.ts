// The openai-compatible provider definition: options schema, create-time checks, and the
// headers and URLs it derives from its options.
import { expect } from 'chai';
import { isProviderDefinition } from '@gatehousejs/core';
import { agentPerTest, answer, callContext, createAjv, instanceOf, rejection } from '@gatehousejs/core/testing';
import provider from '../src/index.js';
import { nStopResponse } from '../src/testing/fixtures/chat.js';

const ORIGIN = 'http://llm.internal:8000';
const chat = { model: 'llama3.1:8b', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('openai-compatible provider definition', () => {
  it('is a branded provider with its id, apiVersion 1 and api_key as secret', () => {
    expect(isProviderDefinition(provider)).to.equal(true);
    expect(provider.id).to.equal('openai-compatible');
    expect(provider.apiVersion).to.equal(1);
    expect(provider.secretOptions).to.deep.equal(['api_key']);
  });

  describe('optionsSchema (compiled by a strict ajv, as the gateway does)', () => {
    const validate = createAjv().compile(provider.optionsSchema!);
    const problems = (options: unknown) => (validate(options) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`));

    it('accepts api_base alone, with a key and extra headers, or as an $ENV reference', () => {
      expect(problems({ api_base: 'http://localhost:11434/v1' })).to.deep.equal([]);
      expect(problems({ api_base: 'https://api.together.xyz/v1', api_key: 'k', extra_headers: { 'X-Title': 'gatehouse' } })).to.deep.equal([]);
      expect(problems({ api_base: '$LLM_BASE_URL' })).to.deep.equal([]);
      expect(problems({ api_base: '${LLM_BASE_URL}' })).to.deep.equal([]);
    });

    it('requires api_base', () => {
      expect(problems({ api_key: 'k' })).to.deep.equal([' required']);
    });

    it('rejects unknown keys, non-URLs, non-http URLs and non-string headers', () => {
      expect(problems({ api_base: 'http://h/v1', apikey: 'k' })).to.include(' additionalProperties');
      expect(problems({ api_base: 'localhost:8000' })).to.not.deep.equal([]);
      expect(problems({ api_base: 'ftp://h/v1' })).to.not.deep.equal([]);
      expect(problems({ api_base: 'http://h/v1', extra_headers: { 'X-N': 1 } })).to.include('/extra_headers/X-N type');
      expect(problems({ api_base: 'http://h/v1', api_key: '' })).to.include('/api_key minLength');
    });
  });

  describe('create()', () => {
    const mock = agentPerTest({ beforeEach, afterEach });

    it('sends the key as a bearer token and the extra headers, nothing else', async () => {
      const instance = await instanceOf(
        provider,
        { api_base: `${ORIGIN}/v1/`, api_key: 'sk-local-123\n', extra_headers: { 'X-Title': 'gatehouse', 'HTTP-Referer': 'https://example.org' } },
        mock.agent,
      );
      const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
      await instance.chat!(chat, callContext());
      expect(sent.requests[0]!.headers).to.deep.equal({
        authorization: 'Bearer sk-local-123',
        'x-title': 'gatehouse',
        'http-referer': 'https://example.org',
        'content-type': 'application/json',
      });
    });

    it('lets the configured key win over an Authorization extra header, whatever its case', async () => {
      const instance = await instanceOf(provider, { api_base: `${ORIGIN}/v1`, api_key: 'right', extra_headers: { Authorization: 'Bearer wrong' } }, mock.agent);
      const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
      await instance.chat!(chat, callContext());
      expect(sent.requests[0]!.headers.authorization).to.equal('Bearer right');
      expect(Object.keys(sent.requests[0]!.headers).filter((h) => h.toLowerCase() === 'authorization')).to.have.length(1);
    });

    it('sends no Authorization header without api_key (local servers)', async () => {
      const instance = await instanceOf(provider, { api_base: `${ORIGIN}/v1` }, mock.agent);
      const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
      await instance.chat!(chat, callContext());
      expect(sent.requests[0]!.headers).to.deep.equal({ 'content-type': 'application/json' });
    });

    it('rejects a resolved api_base that is not an http(s) URL, without echoing it', async () => {
      const error = await rejection(instanceOf(provider, { api_base: 'not a url with secret-token' }, mock.agent));
      expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
      expect(error.message).to.contain('api_base');
      expect(error.message).to.not.contain('secret-token');
      const ftp = await rejection(instanceOf(provider, { api_base: 'ftp://files.internal/v1' }, mock.agent));
      expect(ftp.message).to.contain('ftp:');
    });

    it('offers all five endpoint methods', async () => {
      const instance = await instanceOf(provider, { api_base: `${ORIGIN}/v1` }, mock.agent);
      for (const method of ['chat', 'chatStream', 'completions', 'completionsStream', 'embeddings'] as const) {
        expect(instance[method], method).to.be.a('function');
      }
      expect(Object.isFrozen(instance)).to.equal(true);
    });
  });
});
