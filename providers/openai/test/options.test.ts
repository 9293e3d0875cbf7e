// MLflow's OpenAI / Azure OpenAI options: the schema, the API type (including the `azure` and
// `azuread` provider aliases) and the cross-field rules checked when an instance is created.
import { expect } from 'chai';
import { isProviderDefinition } from '@gatehousejs/core';
import { createAjv, instanceOf, newAgent, rejection } from '@gatehousejs/core/testing';
import provider, { apiTypeOf, resolveConfig } from '../src/index.js';

const KEY = 'sk-proj-secret-0123456789abcdef';
const AZURE = {
  openai_api_key: KEY,
  openai_api_base: 'https://my-resource.openai.azure.com/',
  openai_api_version: '2024-10-21',
  openai_deployment_name: 'gpt-4o-prod',
};

describe('openai provider definition and options', () => {
  it('is a branded provider with id openai, aliases azure and azuread, and the key as secret', () => {
    expect(isProviderDefinition(provider)).to.equal(true);
    expect(provider.id).to.equal('openai');
    expect(provider.aliases).to.deep.equal(['azure', 'azuread']);
    expect(provider.apiVersion).to.equal(1);
    expect(provider.secretOptions).to.deep.equal(['openai_api_key']);
  });

  describe('optionsSchema (compiled by a strict ajv, as the gateway does)', () => {
    const validate = createAjv().compile(provider.optionsSchema!);
    const problems = (options: unknown) => (validate(options) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`));

    it('accepts the MLflow examples for OpenAI, Azure and Azure AD', () => {
      expect(problems({ openai_api_key: '$OPENAI_API_KEY' })).to.deep.equal([]);
      expect(problems({ openai_api_key: KEY, openai_api_base: 'https://api.openai.com/v1', openai_organization: 'org-123', openai_api_version: 'v1' })).to.deep.equal([]);
      expect(problems({ ...AZURE, openai_api_type: 'azure' })).to.deep.equal([]);
      expect(problems({ ...AZURE, openai_api_type: 'azuread', openai_api_key: '$AZURE_AAD_TOKEN' })).to.deep.equal([]);
    });

    it('matches openai_api_type without regard to case, as MLflow does', () => {
      for (const type of ['OpenAI', 'AZURE', 'AzureAD', 'azureAd']) {
        const options = type.toLowerCase() === 'openai' ? { openai_api_key: KEY, openai_api_type: type } : { ...AZURE, openai_api_type: type };
        expect(problems(options), type).to.deep.equal([]);
      }
      expect(problems({ openai_api_key: KEY, openai_api_type: 'azure-ad' })).to.not.deep.equal([]);
      expect(problems({ openai_api_key: KEY, openai_api_type: 'anthropic' })).to.not.deep.equal([]);
    });

    it('requires the key', () => {
      expect(problems({})).to.deep.equal([' required {"missingProperty":"openai_api_key"}']);
    });

    it('requires base, version and deployment when the type is azure or azuread', () => {
      const missing = (options: object) =>
        validate(options) ? [] : validate.errors!.filter((e) => e.keyword === 'required').map((e) => e.params.missingProperty);
      expect(missing({ openai_api_key: KEY, openai_api_type: 'azure' })).to.deep.equal(['openai_api_base', 'openai_api_version', 'openai_deployment_name']);
      expect(missing({ openai_api_key: KEY, openai_api_type: 'AzureAD', openai_api_base: 'https://r.openai.azure.com' })).to.deep.equal([
        'openai_api_version',
        'openai_deployment_name',
      ]);
    });

    it('rejects unknown keys and a base that is not a URL', () => {
      expect(problems({ openai_api_key: KEY, api_key: KEY })).to.include(' additionalProperties {"additionalProperty":"api_key"}');
      expect(problems({ openai_api_key: KEY, openai_api_base: 'api.openai.com' })).to.not.deep.equal([]);
      expect(problems({ openai_api_key: KEY, openai_api_base: '$OPENAI_API_BASE' })).to.deep.equal([]);
    });
  });

  describe('API type and cross-field rules', () => {
    it('defaults to openai, or to the alias the config named as provider', () => {
      expect(apiTypeOf({ openai_api_key: KEY }, 'openai')).to.equal('openai');
      expect(apiTypeOf({ openai_api_key: KEY }, 'azure')).to.equal('azure');
      expect(apiTypeOf({ openai_api_key: KEY }, 'azuread')).to.equal('azuread');
      expect(apiTypeOf({ openai_api_key: KEY, openai_api_type: 'AzureAD' }, 'azure')).to.equal('azuread');
      expect(apiTypeOf({ openai_api_key: KEY, openai_api_type: 'openai' }, 'azure')).to.equal('openai');
    });

    it('fills the default base for OpenAI and keeps the rest', () => {
      expect(resolveConfig({ openai_api_key: ` ${KEY}\n`, openai_organization: 'org-1' }, 'openai')).to.deep.equal({
        apiType: 'openai',
        apiKey: KEY,
        apiBase: 'https://api.openai.com/v1',
        apiVersion: undefined,
        organization: 'org-1',
        deployment: undefined,
      });
    });

    it('names every missing Azure field for provider azure without a type, and never the key', () => {
      let error: Error | undefined;
      try {
        resolveConfig({ openai_api_key: KEY, openai_api_base: 'https://r.openai.azure.com' }, 'azure');
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.equal(
        'openai_api_type "azure" needs openai_api_version, openai_deployment_name (see the Azure OpenAI options in the MLflow gateway docs).',
      );
      expect(error?.message).to.not.contain(KEY);
    });

    it('rejects a deployment name with the openai type, as MLflow does', () => {
      expect(() => resolveConfig({ openai_api_key: KEY, openai_deployment_name: 'd' }, 'openai')).to.throw(/openai_deployment_name is only used with/);
    });

    it('fails create() with a coded config error that names the field, not the key', async () => {
      const agent = newAgent();
      const error = await rejection(instanceOf(provider, { openai_api_key: KEY }, agent, { providerName: 'azuread' }));
      expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
      expect(error.message).to.contain('openai_api_base, openai_api_version, openai_deployment_name');
      expect(error.message).to.not.contain(KEY);
      const badBase = await rejection(instanceOf(provider, { openai_api_key: KEY, openai_api_base: `https://x:${KEY}@[bad` }, agent));
      expect(badBase.message).to.equal('openai_api_base must be an absolute http(s) URL.');
      await agent.close();
    });
  });
});
