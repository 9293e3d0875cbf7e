// The provider definition: MLflow's option names and alias, the schema the gateway validates
// them with, what create() refuses, and the secret option.
import { expect } from 'chai';
import { createAjv, newAgent, services as testServices } from '@gatehousejs/core/testing';
import { isGatewayError, type ProviderServices } from '@gatehousejs/core';
import provider, { optionsSchema } from '../src/index.js';
import { OPTIONS } from './helpers.js';

const validate = createAjv().compile(optionsSchema);

const services = (model: string): ProviderServices => testServices(newAgent(), { providerName: 'databricks-model-serving', endpoint: 'e', model, now: 0 });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isGatewayError(error)).to.equal(true);
    return error as Error;
  }
  return expect.fail('expected create() to throw');
}

describe('databricks provider definition', () => {
  it('is registered as databricks with MLflow’s databricks-model-serving alias and the token as a secret', () => {
    expect(provider.id).to.equal('databricks');
    expect(provider.aliases).to.deep.equal(['databricks-model-serving']);
    expect(provider.secretOptions).to.deep.equal(['databricks_api_token']);
  });

  it('accepts MLflow’s options and $ENV references', () => {
    expect(validate({ ...OPTIONS })).to.equal(true);
    expect(validate({ databricks_workspace_url: '$DATABRICKS_HOST', databricks_api_token: '$DATABRICKS_TOKEN' })).to.equal(true);
  });

  it('refuses a config without either option, or with an unknown key', () => {
    expect(validate({ databricks_workspace_url: OPTIONS.databricks_workspace_url })).to.equal(false);
    expect(validate({ databricks_api_token: 'x' })).to.equal(false);
    expect(validate({ ...OPTIONS, databricks_host: 'x' })).to.equal(false);
    expect(validate({ ...OPTIONS, databricks_workspace_url: 'dbc-1.cloud.databricks.com' })).to.equal(false);
  });

  it('needs model.name: the serving endpoint', () => {
    const error = thrown(() => provider.create({ ...OPTIONS }, services('')));
    expect(error.message).to.contain('model.name');
  });

  it('refuses a workspace URL that is not http(s), naming the option and not the value', () => {
    const error = thrown(() => provider.create({ ...OPTIONS, databricks_workspace_url: 'file:///private/host' }, services('m')));
    expect(error.message).to.contain('databricks_workspace_url').and.not.contain('private');
  });

  it('offers every endpoint type (which one works depends on the served model)', async () => {
    const db = await provider.create({ ...OPTIONS }, services('m'));
    for (const method of ['chat', 'chatStream', 'completions', 'completionsStream', 'embeddings'] as const) expect(db[method]).to.be.a('function');
  });
});
