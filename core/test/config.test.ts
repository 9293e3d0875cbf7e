import { expect } from 'chai';
import { Gateway } from '../src/gateway.js';
import { resolveConfigPath } from '../src/config/load.js';
import { definePlugin } from '../src/define.js';
import { silentLogger } from '../src/testing/provider-harness.js';
import { TempDir } from './fixtures.js';
import { scripted } from './helpers.js';

const create = (tmp: TempDir, file: string, env: NodeJS.ProcessEnv = {}, extra: object = {}) =>
  Gateway.create({ configPath: `${tmp.dir}/${file}`, providers: [scripted], discover: false, watch: false, env, logger: silentLogger(), ...extra });

async function failure(promise: Promise<Gateway>): Promise<Error & { code?: string }> {
  const result = await promise.catch((e: Error) => e);
  if (result instanceof Gateway) {
    await result.close();
    throw new Error('expected the config to be rejected');
  }
  return result;
}

describe('config', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = new TempDir();
  });
  afterEach(() => tmp.remove());

  it('loads an MLflow config unchanged, with $ENV secrets and a limit block', async () => {
    tmp.write(
      'config.yaml',
      `endpoints:
  - name: completions
    endpoint_type: llm/v1/completions
    model:
      provider: scripted
      name: gpt-4o-mini
      config:
        api_key: $OPENAI_API_KEY
    limit:
      renewal_period: minute
      calls: 10
  - name: chat
    endpoint_type: llm/v1/chat
    model:
      provider: scripted
      name: gpt-4o-mini
      config:
        api_key: $OPENAI_API_KEY
`,
    );
    const gw = await create(tmp, 'config.yaml', { OPENAI_API_KEY: 'sk-from-env-123456' });
    try {
      expect([...gw.snapshot.endpoints.keys()]).to.deep.equal(['completions', 'chat']);
      expect(gw.snapshot.endpoints.get('completions')!.config.limit).to.deep.equal({ renewal_period: 'minute', calls: 10 });
      // The registry keeps the reference, not the secret; the redactor knows the value.
      expect(JSON.stringify(gw.config)).to.not.contain('sk-from-env-123456');
      expect(gw.redactor.redact('key sk-from-env-123456')).to.equal('key [REDACTED]');
    } finally {
      await gw.close();
    }
  });

  it('loads the older format where routes with route_type are endpoints', async () => {
    tmp.write('old.yaml', `routes:\n  - name: chat\n    route_type: llm/v1/chat\n    model:\n      provider: scripted\n      name: m\n`);
    const gw = await create(tmp, 'old.yaml');
    try {
      expect(gw.snapshot.endpoints.get('chat')!.config.endpoint_type).to.equal('llm/v1/chat');
    } finally {
      await gw.close();
    }
  });

  it('accepts traffic-split routes and checks destinations, types and percentages', async () => {
    const endpoints = `endpoints:
  - { name: a, endpoint_type: llm/v1/chat, model: { provider: scripted, name: m1 } }
  - { name: b, endpoint_type: llm/v1/chat, model: { provider: scripted, name: m2 } }
  - { name: e, endpoint_type: llm/v1/embeddings, model: { provider: scripted, name: m3 } }
`;
    tmp.write('ok.yaml', `${endpoints}routes:\n  - name: split\n    task_type: llm/v1/chat\n    destinations: [{ name: a, traffic_percentage: 70 }, { name: b, traffic_percentage: 30 }]\n    routing_strategy: TRAFFIC_SPLIT\n`);
    const gw = await create(tmp, 'ok.yaml');
    try {
      expect(gw.snapshot.resolve('split', () => 0.5)!.endpoint).to.equal('a');
      expect(gw.snapshot.resolve('split', () => 0.9)!.endpoint).to.equal('b');
    } finally {
      await gw.close();
    }
    tmp.write('bad.yaml', `${endpoints}routes:\n  - name: split\n    task_type: llm/v1/chat\n    destinations: [{ name: a, traffic_percentage: 50 }, { name: e, traffic_percentage: 20 }, { name: zz, traffic_percentage: 10 }]\n`);
    const error = await failure(create(tmp, 'bad.yaml'));
    expect(error.message).to.contain('/routes/0/destinations/2/name').and.contain('no endpoint named "zz"');
    expect(error.message).to.contain('/routes/0/destinations/1/name').and.contain('llm/v1/embeddings');
    expect(error.message).to.contain('sum to 100 (they sum to 80)');
  });

  it('checks fallbacks: existing endpoints of the same type, never the endpoint itself, never a route', async () => {
    tmp.write(
      'fallbacks.yaml',
      `endpoints:
  - { name: a, endpoint_type: llm/v1/chat, model: { provider: scripted, name: m1 }, fallbacks: [a, e, split, nowhere] }
  - { name: e, endpoint_type: llm/v1/embeddings, model: { provider: scripted, name: m3 } }
routes:
  - { name: split, task_type: llm/v1/chat, destinations: [{ name: a, traffic_percentage: 100 }], fallbacks: [e] }
`,
    );
    const error = await failure(create(tmp, 'fallbacks.yaml'));
    expect(error.message).to.contain('/endpoints/0/fallbacks/0').and.contain('cannot be its own fallback');
    expect(error.message).to.contain('/endpoints/0/fallbacks/1').and.contain('endpoint "e" is llm/v1/embeddings, but this is llm/v1/chat');
    expect(error.message).to.contain('/endpoints/0/fallbacks/2').and.contain('no endpoint named "split" (fallbacks name endpoints, not routes)');
    expect(error.message).to.contain('/endpoints/0/fallbacks/3').and.contain('no endpoint named "nowhere"');
    expect(error.message).to.contain('/routes/0/fallbacks/0');
    tmp.write('retry.yaml', `endpoints:\n  - { name: a, endpoint_type: llm/v1/chat, model: { provider: scripted }, retry: { attempts: 0 }, timeouts: { idle: 3 } }\n`);
    const schema = await failure(create(tmp, 'retry.yaml'));
    expect(schema.message).to.contain('/endpoints/0/retry/attempts').and.contain('>= 1');
    expect(schema.message).to.contain('/endpoints/0/timeouts');
  });

  it('names the file, the JSON pointer, the line and what was expected', async () => {
    tmp.write(
      'bad.yaml',
      `endpoints:
  - name: chat
    endpoint_type: llm/v1/chatty
    model:
      provider: scripted
    colour: blue
`,
    );
    const error = await failure(create(tmp, 'bad.yaml'));
    expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(error.message).to.contain(`${tmp.dir}/bad.yaml`);
    expect(error.message).to.match(/\/endpoints\/0\/endpoint_type \(line 3, column \d+\): must be one of "llm\/v1\/chat"/);
    expect(error.message).to.match(/\/endpoints\/0 \(line 2, column \d+\): unknown key "colour"/);
  });

  it('applies MLflow name rules and rejects duplicate names', async () => {
    tmp.write('names.yaml', `endpoints:\n  - { name: "has space", endpoint_type: llm/v1/chat, model: { provider: scripted } }\n`);
    expect((await failure(create(tmp, 'names.yaml'))).message).to.contain('/endpoints/0/name').and.contain('must match');
    tmp.write('dupes.yaml', `endpoints:\n  - { name: x, endpoint_type: llm/v1/chat, model: { provider: scripted } }\n  - { name: x, endpoint_type: llm/v1/chat, model: { provider: scripted } }\n`);
    expect((await failure(create(tmp, 'dupes.yaml'))).message).to.contain('/endpoints/1/name').and.contain('duplicate name "x" (already used at /endpoints/0)');
  });

  it('keeps unquoted dates as strings (YAML core schema)', async () => {
    tmp.write('date.yaml', `endpoints:\n  - name: 2023-06-01\n    endpoint_type: llm/v1/chat\n    model: { provider: scripted, name: m }\n`);
    const gw = await create(tmp, 'date.yaml');
    try {
      expect(gw.snapshot.endpoints.has('2023-06-01')).to.equal(true);
    } finally {
      await gw.close();
    }
  });

  it('names an unset environment variable, never a value', async () => {
    tmp.write('env.yaml', `endpoints:\n  - { name: c, endpoint_type: llm/v1/chat, model: { provider: scripted, config: { api_key: $MISSING_KEY_VAR } } }\n`);
    const error = await failure(create(tmp, 'env.yaml', { OTHER: 'sk-should-not-appear' }));
    expect(error.code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(error.message).to.not.contain('sk-should-not-appear');
    expect(error.message).to.contain('environment variable MISSING_KEY_VAR, which is not set').and.contain('/endpoints/0/model/config/api_key');
  });

  it('reads a secret from a key file relative to the config', async () => {
    tmp.write('keys/openai.key', 'sk-file-secret-98765\n');
    tmp.write('file.yaml', `endpoints:\n  - { name: c, endpoint_type: llm/v1/chat, model: { provider: scripted, config: { api_key: ./keys/openai.key } } }\n`);
    const gw = await create(tmp, 'file.yaml');
    try {
      expect(gw.redactor.redact('sk-file-secret-98765')).to.equal('[REDACTED]');
    } finally {
      await gw.close();
    }
  });

  it("checks provider options against the provider's schema without echoing values", async () => {
    tmp.write('opts.yaml', `endpoints:\n  - { name: c, endpoint_type: llm/v1/chat, model: { provider: scripted, config: { api_key: 12345678, bogus: 1 } } }\n`);
    const error = await failure(create(tmp, 'opts.yaml'));
    expect(error.message).to.contain('/endpoints/0/model/config/api_key').and.contain('must be string');
    expect(error.message).to.contain('unknown key "bogus"');
    expect(error.message).to.not.contain('12345678');
  });

  it('rejects an unknown provider, listing the installed ones', async () => {
    tmp.write('prov.yaml', `endpoints:\n  - { name: c, endpoint_type: llm/v1/chat, model: { provider: nope } }\n`);
    const error = await failure(create(tmp, 'prov.yaml'));
    expect(error.message).to.contain('/endpoints/0/model/provider').and.contain('unknown provider "nope"').and.contain('scripted');
  });

  it('resolves a provider alias to its id, ignoring case and -/_ differences', async () => {
    tmp.write('alias.yaml', `endpoints:\n  - { name: c, endpoint_type: llm/v1/chat, model: { provider: scripted-alias } }\n  - { name: d, endpoint_type: llm/v1/chat, model: { provider: Scripted_Alias } }\n`);
    const gw = await create(tmp, 'alias.yaml');
    try {
      expect(gw.snapshot.endpoints.get('c')!.target.provider).to.equal('scripted');
      expect(gw.snapshot.endpoints.get('d')!.target.provider).to.equal('scripted');
    } finally {
      await gw.close();
    }
  });

  it("validates plugins' config extensions with the rest, top level and per endpoint", async () => {
    const plugin = definePlugin({
      id: 'budget',
      apiVersion: 1,
      setup(api) {
        api.config.extend({
          topLevel: { budgets: { type: 'array', items: { type: 'object', required: ['usd'], properties: { usd: { type: 'number' } } } } },
          endpoint: { budget_usd: { type: 'number', minimum: 0 } },
        });
      },
    });
    tmp.write('ext.yaml', `budgets: [{ usd: 5 }]\nendpoints:\n  - { name: c, endpoint_type: llm/v1/chat, budget_usd: 3, model: { provider: scripted } }\n`);
    const gw = await create(tmp, 'ext.yaml', {}, { plugins: [{ definition: plugin }] });
    await gw.close();
    tmp.write('ext-bad.yaml', `budgets: [{ usd: five }]\nendpoints:\n  - { name: c, endpoint_type: llm/v1/chat, budget_usd: -1, model: { provider: scripted } }\n`);
    const error = await failure(create(tmp, 'ext-bad.yaml', {}, { plugins: [{ definition: plugin }] }));
    expect(error.message).to.contain('/budgets/0/usd').and.contain('/endpoints/0/budget_usd');
  });

  it('finds the file from --config, GATEHOUSE_CONFIG, MLFLOW_DEPLOYMENTS_CONFIG, then a search', async () => {
    tmp.write('gatehouse.config.yaml', 'endpoints: []\n');
    expect(await resolveConfigPath('x.yaml', tmp.dir, { GATEHOUSE_CONFIG: 'y.yaml' })).to.equal(`${tmp.dir}/x.yaml`);
    expect(await resolveConfigPath(undefined, tmp.dir, { GATEHOUSE_CONFIG: 'y.yaml', MLFLOW_DEPLOYMENTS_CONFIG: 'z.yaml' })).to.equal(`${tmp.dir}/y.yaml`);
    expect(await resolveConfigPath(undefined, tmp.dir, { MLFLOW_DEPLOYMENTS_CONFIG: 'z.yaml' })).to.equal(`${tmp.dir}/z.yaml`);
    expect(await resolveConfigPath(undefined, tmp.dir, {})).to.equal(`${tmp.dir}/gatehouse.config.yaml`);
    const empty = new TempDir();
    try {
      const error = await resolveConfigPath(undefined, empty.dir, {}).catch((e: Error) => e);
      expect(error).to.have.property('code', 'GW_ERR_CONFIG_NOT_FOUND');
    } finally {
      empty.remove();
    }
  });
});
