import { expect } from 'chai';
import { Gateway } from '../src/gateway.js';
import { TempDir, pluginSource, providerSource } from './fixtures.js';
import { silentLogger } from '../src/testing/provider-harness.js';

const chatEndpoint = (provider: string) => `endpoints:\n  - name: chat\n    endpoint_type: llm/v1/chat\n    model:\n      provider: ${provider}\n      name: m\n`;

async function startError(tmp: TempDir): Promise<Error & { code?: string }> {
  const gw = await Gateway.create({ configPath: `${tmp.dir}/gatehouse.config.yaml`, watch: false, logger: silentLogger() }).catch((e: Error) => e);
  if (gw instanceof Gateway) {
    await gw.close();
    throw new Error('expected start-up to fail');
  }
  return gw;
}

describe('loader: discovery from the deployment package.json', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = new TempDir();
  });
  afterEach(() => tmp.remove());

  it('discovers a provider listed in dependencies and serves through it', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { 'acme-provider': '1.0.0', 'left-pad': '1.0.0' } });
    tmp.addPackage('acme-provider', { kind: 'provider', id: 'acme', apiVersion: 1 }, providerSource('acme'));
    // A dependency without the gatehousePlugin field is simply not a plugin.
    tmp.addPackage('left-pad', undefined, 'export default {};');
    tmp.write('gatehouse.config.yaml', chatEndpoint('acme'));
    const gw = await Gateway.create({ cwd: tmp.dir, watch: false, logger: silentLogger() });
    try {
      expect(gw.snapshot.endpoints.get('chat')?.target.provider).to.equal('acme');
    } finally {
      await gw.close();
    }
  });

  it('imports providers no endpoint names only on first use', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { used: '1', unused: '1' } });
    tmp.addPackage('used', { kind: 'provider', id: 'used', apiVersion: 1 }, providerSource('used'));
    tmp.addPackage('unused', { kind: 'provider', id: 'unused', apiVersion: 1 }, providerSource('unused', { loadedFlag: '__unusedLoaded' }));
    tmp.write('gatehouse.config.yaml', chatEndpoint('used'));
    const gw = await Gateway.create({ cwd: tmp.dir, watch: false, logger: silentLogger() });
    await gw.close();
    expect((globalThis as Record<string, unknown>).__unusedLoaded).to.equal(undefined);
  });

  it('fails on a dependency that is not installed, naming it', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { 'missing-provider': '1.0.0' } });
    tmp.write('gatehouse.config.yaml', chatEndpoint('x'));
    const error = await startError(tmp);
    expect(error.code).to.equal('GW_ERR_PLUGIN_DEPENDENCY');
    expect(error.message).to.contain('missing-provider').and.contain('not installed');
  });

  it('fails on a duplicate provider id or alias, naming both packages', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { one: '1', two: '1' } });
    tmp.addPackage('one', { kind: 'provider', id: 'same', apiVersion: 1 }, providerSource('same'));
    tmp.addPackage('two', { kind: 'provider', id: 'other', aliases: ['same'], apiVersion: 1 }, providerSource('other', { aliases: ['same'] }));
    tmp.write('gatehouse.config.yaml', chatEndpoint('same'));
    const error = await startError(tmp);
    expect(error.code).to.equal('GW_ERR_PLUGIN_DUPLICATE');
    expect(error.message).to.contain('"one"').and.contain('"two"').and.contain('same');
  });

  it('fails on an unknown apiVersion without importing the package', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { future: '1' } });
    tmp.addPackage('future', { kind: 'provider', id: 'future', apiVersion: 2 }, 'throw new Error("must not be imported")');
    tmp.write('gatehouse.config.yaml', chatEndpoint('future'));
    const error = await startError(tmp);
    expect(error.code).to.equal('GW_ERR_PLUGIN_API_VERSION');
    expect(error.message).to.contain('future').and.contain('apiVersion 2');
  });

  it('fails on a package whose export lacks the brand', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { plain: '1' } });
    tmp.addPackage('plain', { kind: 'provider', id: 'plain', apiVersion: 1 }, providerSource('plain', { brand: false }));
    tmp.write('gatehouse.config.yaml', chatEndpoint('plain'));
    const error = await startError(tmp);
    expect(error.code).to.equal('GW_ERR_PLUGIN_BRAND');
    expect(error.message).to.contain('plain').and.contain('defineProvider');
  });

  it('fails when the package.json field and the export disagree', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { liar: '1' } });
    tmp.addPackage('liar', { kind: 'provider', id: 'liar', apiVersion: 1 }, providerSource('something-else'));
    tmp.write('gatehouse.config.yaml', chatEndpoint('liar'));
    const error = await startError(tmp);
    expect(error.message).to.contain('liar').and.contain('something-else');
  });

  it('fails on an explicit plugins entry that is not a Gatehouse package', async () => {
    tmp.write('package.json', { name: 'deploy' });
    tmp.addPackage('not-a-plugin', undefined, 'export default {};');
    tmp.write('gatehouse.config.yaml', `plugins:\n  - not-a-plugin\n${chatEndpoint('x')}`);
    const error = await startError(tmp);
    expect(error.code).to.equal('GW_ERR_PLUGIN_BRAND');
    expect(error.message).to.contain('not-a-plugin').and.contain('gatehousePlugin');
  });

  it('sets up explicit entries with their options, dependencies first, and checks options', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { 'p-base': '1', 'p-top': '1', prov: '1' } });
    tmp.addPackage('prov', { kind: 'provider', id: 'prov', apiVersion: 1 }, providerSource('prov'));
    tmp.addPackage('p-top', { kind: 'plugin', id: 'top', apiVersion: 1 }, pluginSource('top', 'globalThis.__order.push("top:" + options.greeting);', {
      dependencies: ['base'],
      optionsSchema: { type: 'object', properties: { greeting: { type: 'string' } }, additionalProperties: false },
    }));
    tmp.addPackage('p-base', { kind: 'plugin', id: 'base', apiVersion: 1 }, pluginSource('base', 'globalThis.__order.push("base");'));
    (globalThis as Record<string, unknown>).__order = [];
    tmp.write('gatehouse.config.yaml', `plugins:\n  - name: p-top\n    options:\n      greeting: hi\n${chatEndpoint('prov')}`);
    const gw = await Gateway.create({ cwd: tmp.dir, watch: false, logger: silentLogger() });
    await gw.close();
    expect((globalThis as Record<string, unknown>).__order).to.deep.equal(['base', 'top:hi']);

    tmp.write('gatehouse.config.yaml', `plugins:\n  - name: p-top\n    options:\n      greeting: 5\n${chatEndpoint('prov')}`);
    const error = await startError(tmp);
    expect(error.message).to.contain('top').and.contain('/greeting').and.contain('must be string');
  });

  it('fails when a plugin depends on one that is not installed', async () => {
    tmp.write('package.json', { name: 'deploy', dependencies: { lonely: '1' } });
    tmp.addPackage('lonely', { kind: 'plugin', id: 'lonely', apiVersion: 1 }, pluginSource('lonely', '', { dependencies: ['friend'] }));
    tmp.write('gatehouse.config.yaml', 'endpoints: []\n');
    const error = await startError(tmp);
    expect(error.code).to.equal('GW_ERR_PLUGIN_DEPENDENCY');
    expect(error.message).to.contain('lonely').and.contain('friend');
  });
});
