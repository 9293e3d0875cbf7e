// The provider definition: MLflow's option names, the schema the gateway validates them with,
// what create() refuses, the secret option, and the endpoint types offered.
import { expect } from 'chai';
import { createAjv, newAgent, services as testServices } from '@gatehousejs/core/testing';
import { isGatewayError, type ProviderServices } from '@gatehousejs/core';
import provider, { optionsSchema } from '../src/index.js';
import { instance } from './helpers.js';

const validate = createAjv().compile(optionsSchema);

const services = (): ProviderServices => testServices(newAgent(), { providerName: 'huggingface-text-generation-inference', endpoint: 'e', model: 'm', now: 0 });

describe('huggingface-tgi provider definition', () => {
  it('is registered under MLflow’s provider id with the token as a secret', () => {
    expect(provider.id).to.equal('huggingface-text-generation-inference');
    expect(provider.apiVersion).to.equal(1);
    expect(provider.secretOptions).to.deep.equal(['hf_api_token']);
  });

  it('accepts MLflow’s config and ours', () => {
    expect(validate({ hf_server_url: 'http://127.0.0.1:8080' })).to.equal(true);
    expect(validate({ hf_server_url: '$TGI_URL' })).to.equal(true);
    expect(validate({ hf_server_url: 'https://x.endpoints.huggingface.cloud', hf_api_token: 'hf_x', hf_chat_api: 'generate' })).to.equal(true);
  });

  it('refuses a config without hf_server_url, with an unknown key or an unknown chat API', () => {
    expect(validate({})).to.equal(false);
    expect(validate({ hf_server_url: 'http://h', hf_token: 'x' })).to.equal(false);
    expect(validate({ hf_server_url: 'http://h', hf_chat_api: 'chat' })).to.equal(false);
    expect(validate({ hf_server_url: 'ftp://h' })).to.equal(false);
  });

  it('refuses a server URL that is not http(s) at create(), naming the option and not the value', () => {
    let error: unknown;
    try {
      provider.create({ hf_server_url: 'file:///secret-path' }, services());
    } catch (e) {
      error = e;
    }
    expect(isGatewayError(error)).to.equal(true);
    expect((error as Error).message).to.contain('hf_server_url').and.not.contain('secret-path');
  });

  it('offers chat, completions and their streams, and no embeddings (core answers 501)', async () => {
    for (const hf_chat_api of ['messages', 'generate']) {
      const tgi = await instance(newAgent(), { hf_chat_api });
      for (const method of ['chat', 'chatStream', 'completions', 'completionsStream'] as const) expect(tgi[method]).to.be.a('function');
      expect(tgi.embeddings).to.equal(undefined);
      expect(tgi.capabilities).to.deep.include({ chat_api: hf_chat_api, tools: hf_chat_api === 'messages' });
    }
  });
});
